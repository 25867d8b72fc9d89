package network

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// composeData is how docker-compose.yaml names the data directory: the
// same absolute path on the host and in every container, so that the
// paths in the nodes' configuration hold in both. scripts/docker.sh writes
// it to .env.
const composeData = "${CIVIC_DATA:-/var/lib/civicledger}"

// composeImageTag is the images' tag: scripts/docker.sh builds them as
// "local" and also tags them $CIVIC_IMAGE_TAG, so that a test holds on to
// the images it was built with while another build runs.
const composeImageTag = "${CIVIC_IMAGE_TAG:-local}"

// composeNetwork is the user-defined bridge network every container joins.
const composeNetwork = "civic"

type composeFile struct {
	Version  string                    `yaml:"version"`
	Services map[string]composeService `yaml:"services"`
	Networks map[string]any            `yaml:"networks"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Image       string                `yaml:"image"`
	Build       composeBuild          `yaml:"build"`
	Command     []string              `yaml:"command"`
	Environment []string              `yaml:"environment,omitempty"`
	Ports       []string              `yaml:"ports,omitempty"`
	Volumes     []string              `yaml:"volumes"`
	Networks    []string              `yaml:"networks"`
	Healthcheck *composeHealth        `yaml:"healthcheck,omitempty"`
	DependsOn   map[string]composeDep `yaml:"depends_on,omitempty"`
	Restart     string                `yaml:"restart"`
}

type composeBuild struct {
	Context string `yaml:"context"`
	Target  string `yaml:"target"`
}

type composeHealth struct {
	Test        []string `yaml:"test"`
	Interval    string   `yaml:"interval"`
	Timeout     string   `yaml:"timeout"`
	Retries     int      `yaml:"retries"`
	StartPeriod string   `yaml:"start_period"`
}

type composeDep struct {
	Condition string `yaml:"condition"`
}

var (
	healthy   = composeDep{"service_healthy"}
	completed = composeDep{"service_completed_successfully"}
)

// ComposeFile renders docker-compose.yaml for ComposeTopology on
// portBase (the repository's file: ComposePortBase): per
// administration a CA, an orderer, a peer, a chaincode service and a
// gateway, the portal at the first one, and the setup job; each node in
// its own container, reached by its DNS name (NodeHost) on one bridge
// network, with its ports published on the host's 127.0.0.1.
func ComposeFile(portBase int) ([]byte, error) {
	t := ComposeTopology()
	t.PortBase = portBase
	t.applyDefaults()
	n := &Network{topo: t, layout: layout{root: composeData}, containers: &containers{inside: true}}
	f := composeFile{
		Version:  "2.4",
		Services: map[string]composeService{},
		Networks: map[string]any{composeNetwork: map[string]string{"driver": "bridge"}},
		Volumes:  map[string]any{},
	}
	bind := composeData + ":" + composeData
	node := func(image, script string, ports []int, volumes ...string) composeService {
		var published []string
		for _, p := range ports {
			published = append(published, fmt.Sprintf("127.0.0.1:%d:%d", p, p))
		}
		return composeService{
			Image:    "civicledger/" + image + ":" + composeImageTag,
			Build:    composeBuild{Context: "network/docker", Target: image},
			Command:  []string{"/bin/sh", filepath.Join(n.layout.composeDir(), script+".sh")},
			Ports:    published,
			Volumes:  append([]string{bind}, volumes...),
			Networks: []string{composeNetwork},
			Restart:  "unless-stopped",
		}
	}
	volume := func(name, path string) string {
		f.Volumes[name] = map[string]any{}
		return name + ":" + path
	}
	setupDeps := map[string]composeDep{}
	for _, o := range t.Orgs {
		p := o.Ports
		ca := node("ca", "ca."+o.Name, []int{p.CA, p.CAOperations})
		ca.Healthcheck = httpHealth(p.CAOperations, "/healthz")
		f.Services[NodeHost(o, "ca")] = ca

		orderer := node("orderer", "orderer."+o.Name, []int{p.Orderer, p.OrdererAdmin, p.OrdererOps},
			volume(o.Name+"-orderer-ledger", filepath.Join(n.layout.node(o, "orderer"), "data")))
		orderer.Healthcheck = httpHealth(p.OrdererOps, "/healthz")
		orderer.DependsOn = map[string]composeDep{NodeHost(o, "ca"): healthy}
		f.Services[NodeHost(o, ordererName)] = orderer

		peer := node("peer", "peer."+o.Name, []int{p.Peer, p.PeerOps},
			volume(o.Name+"-peer-ledger", filepath.Join(n.layout.node(o, "peer"), "data")))
		peer.Healthcheck = httpHealth(p.PeerOps, "/healthz")
		peer.DependsOn = map[string]composeDep{NodeHost(o, ordererName): healthy}
		f.Services[NodeHost(o, peerName)] = peer

		cc := node("chaincode", "chaincode."+o.Name, nil)
		cc.Healthcheck = listenHealth(p.Chaincode)
		cc.DependsOn = map[string]composeDep{NodeHost(o, "ca"): healthy}
		f.Services[NodeHost(o, chaincodeName)] = cc

		gw := node("gateway", "gateway."+o.Name, []int{p.Gateway, p.GatewayOps})
		gw.Healthcheck = listenHealth(p.Gateway)
		gw.DependsOn = map[string]composeDep{"setup": completed}
		f.Services[NodeHost(o, gatewayName)] = gw

		for _, s := range []string{ordererName, peerName, chaincodeName} {
			setupDeps[NodeHost(o, s)] = healthy
		}
	}
	host := t.Orgs[0]
	portal := node("portal", "portal."+host.Name, []int{host.Ports.Portal},
		volume("portal-index", filepath.Dir(n.portalIndex(n.layout.portalID(host).dir))))
	portal.Healthcheck = httpHealth(host.Ports.Portal, "/")
	portal.DependsOn = map[string]composeDep{"setup": completed}
	f.Services[NodeHost(host, portalName)] = portal

	setup := node("setup", "", nil)
	setup.Command = []string{"civicnet", "compose", "setup", "-dir", composeData}
	setup.DependsOn = setupDeps
	setup.Restart = "no"
	f.Services["setup"] = setup

	body, err := yaml.Marshal(f)
	if err != nil {
		return nil, err
	}
	head := "# CivicLedger on one machine, one container per node (docs/deployment.md).\n" +
		"# Generated by `civicnet compose file`; do not edit by hand.\n" +
		"# First run scripts/docker.sh: it builds the images and prepares the\n" +
		"# identities and configuration in $CIVIC_DATA (written to .env).\n"
	return append([]byte(head), body...), nil
}

func httpHealth(port int, path string) *composeHealth {
	return health("wget -q -O /dev/null http://127.0.0.1:" + strconv.Itoa(port) + path)
}

func listenHealth(port int) *composeHealth {
	return health("netstat -ltn | grep -q ':" + strconv.Itoa(port) + " '")
}

func health(cmd string) *composeHealth {
	return &composeHealth{
		Test:     []string{"CMD-SHELL", strings.TrimSpace(cmd)},
		Interval: "2s", Timeout: "2s", Retries: 60, StartPeriod: "2s",
	}
}
