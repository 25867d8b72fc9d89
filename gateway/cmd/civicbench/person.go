package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	apiv1 "github.com/civicledger/civicledger/gateway/api/civicledger/v1"
	"github.com/civicledger/civicledger/gateway/person"
	"github.com/civicledger/civicledger/network/connfile"
)

// personRegistrar registers documents through the gateway as an official
// with a personal identity: the administration's admin adds a clerk, the
// clerk enrols into a temporary folder (its key generated here), and every
// transaction is signed on this side through SignerService, over one shared
// connection.
func personRegistrar(conn connfile.Connection, o options) (registerFunc, func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	org, err := conn.Org(o.org)
	if err != nil {
		return nil, nil, err
	}
	adminConn, err := conn.DialGateway(o.org, "admin")
	if err != nil {
		return nil, nil, err
	}
	defer adminConn.Close()
	staff := fmt.Sprintf("bench-%d", run0%1_000_000_000)
	sec, err := apiv1.NewPeopleServiceClient(adminConn).AddPerson(ctx, &apiv1.AddPersonRequest{StaffId: staff, Role: "clerk"})
	if err != nil {
		return nil, nil, fmt.Errorf("add the benchmark's clerk: %w", err)
	}
	dir, err := os.MkdirTemp("", "civicbench-person-")
	if err != nil {
		return nil, nil, err
	}
	id, err := person.Enroll(ctx, person.CA{Address: sec.CaAddress, Name: sec.CaName, TLSRootCert: org.TLSRootCert},
		o.org, staff, sec.Secret, filepath.Join(dir, "id"), false)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	pool, err := conn.RootCertPool()
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	cc, err := id.Dial(ctx, org.Gateway.Address, pool)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return documentsRegistrar(apiv1.NewDocumentsServiceClient(cc)), func() { cc.Close(); os.RemoveAll(dir) }, nil
}
