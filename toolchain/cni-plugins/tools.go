//go:build tools

// Package tools pins the module this wrapper builds (its main packages are listed in versions.json).
package tools

import _ "github.com/containernetworking/plugins/plugins/main/bridge"
