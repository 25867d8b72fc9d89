package network

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
)

// lowestPort is where port blocks start: above the well-known and most
// registered service ports.
const lowestPort = 10000

// FreePortBase picks a portBase for orgs administrations whose whole block
// of ports is free on 127.0.0.1, so tests and benchmarks can run networks
// side by side. The block lies below the kernel's ephemeral port range:
// there, a port that is free while its node is stopped (down and up, a
// stopped orderer) can meanwhile be handed to any client's outgoing
// connection as its local port, and the node then fails to listen on it.
func FreePortBase(orgs int) (int, error) {
	count := orgs * portsPerOrg
	top := ephemeralStart() - count
	if top <= lowestPort {
		return 0, fmt.Errorf("no room for %d ports between %d and the ephemeral port range", count, lowestPort)
	}
	for range 50 {
		base := lowestPort + rand.IntN((top-lowestPort)/100+1)*100
		if base+count <= ephemeralStart() && portsFree(base, count) {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no free block of %d ports found between %d and %d", count, lowestPort, ephemeralStart())
}

// ephemeralStart is the first port of the kernel's ephemeral range
// (Linux's default 32768 when it cannot be read).
func ephemeralStart() int {
	data, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	fields := strings.Fields(string(data))
	if len(fields) != 2 {
		return 32768
	}
	lo, err := strconv.Atoi(fields[0])
	if err != nil {
		return 32768
	}
	return lo
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
