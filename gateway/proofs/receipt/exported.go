package receipt

import (
	"fmt"
	"strings"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
)

// This file exports the checks other packages reuse (network/configupdate
// evaluates config update signatures with them), so that the project has
// one policy evaluator.

// VerifySigned checks that sig is the signature over msg of the serialized
// identity creator, and that creator is a certificate of a member MSP valid
// at time at; it returns the signer.
func (c *Config) VerifySigned(creator, msg, sig []byte, at time.Time) (*Identity, error) {
	id, err := c.identityOf(creator, at)
	if err != nil {
		return nil, err
	}
	if err := verifySignature(id, msg, sig); err != nil {
		return nil, fmt.Errorf("signature by %s of %s: %w", id.Subject, id.MSPID, err)
	}
	return id, nil
}

// Satisfied evaluates the policy at an absolute path such as
// /Channel/Application/Admins against validated signers, as Fabric does.
func (c *Config) Satisfied(path string, signers []*Identity) (bool, error) {
	g, name, err := c.policyAt(path)
	if err != nil {
		return false, err
	}
	return c.satisfied(g, name, signers)
}

// DescribePolicy names the policy at an absolute path for people, e.g.
// `"Admins" (MAJORITY Admins of 3 organizations: 2 needed)`.
func (c *Config) DescribePolicy(path string) string {
	g, name, err := c.policyAt(path)
	if err != nil {
		return path
	}
	return describePolicy(g, name)
}

// policyAt splits /Channel/Group/.../Policy into its group and name.
func (c *Config) policyAt(path string) (*common.ConfigGroup, string, error) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(parts) < 2 || parts[0] != "Channel" {
		return nil, "", fmt.Errorf("policy path %q is not of the form /Channel/.../Name", path)
	}
	g := c.Root
	for _, p := range parts[1 : len(parts)-1] {
		g = g.GetGroups()[p]
		if g == nil {
			return nil, "", fmt.Errorf("policy path %q: no group %q", path, p)
		}
	}
	return g, parts[len(parts)-1], nil
}
