//go:build tools

// Package tools pins the main package this wrapper module builds.
package tools

import _ "gopkg.in/k8snetworkplumbingwg/multus-cni.v4/cmd/multus"
