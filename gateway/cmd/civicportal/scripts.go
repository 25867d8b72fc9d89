package main

import (
	"github.com/civicledger/civicledger/gateway/portal"
	"github.com/civicledger/civicledger/gateway/portal/static"
)

// scripts serves the in-browser verification modules (verify-seal.js,
// verify-file.js) under /static/.
func scripts() portal.Option {
	return portal.WithScripts(static.FS)
}
