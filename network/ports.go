package network

import (
	"errors"
	"math/rand/v2"
	"net"
	"strconv"
)

// FreePortBase picks a portBase for orgs administrations whose whole block
// of ports is free on 127.0.0.1, so tests and benchmarks can run networks
// side by side.
func FreePortBase(orgs int) (int, error) {
	for range 50 {
		base := 20000 + rand.IntN(400)*100
		if portsFree(base, orgs*portsPerOrg) {
			return base, nil
		}
	}
	return 0, errors.New("no free block of ports found between 20000 and 60000")
}

func portsFree(base, count int) bool {
	for p := base; p < base+count; p++ {
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
		if err != nil {
			return false
		}
		l.Close()
	}
	return true
}
