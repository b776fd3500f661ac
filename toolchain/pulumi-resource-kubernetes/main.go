// Command pulumi-resource-kubernetes serves the Pulumi Kubernetes provider of
// github.com/pulumi/pulumi-kubernetes/provider/v4 (the commit tagged v4.25.0).
//
// The provider's own main (cmd/pulumi-resource-kubernetes) embeds schema-embed.json and
// terraform-mapping-embed.json, which its build generates and its module does not hold. This main
// reads the schema and the mapping the module does hold (cmd/pulumi-resource-kubernetes/schema.json
// and terraform-mapping.json), which the toolchain build copies beside this binary.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
)

// release is the provider version the engine is told; it matches the tag of the pinned commit and
// the @pulumi/kubernetes version the real-engine tests install.
const release = "4.25.0"

func besideExecutable(name string) []byte {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-kubernetes: cannot find its own executable: %v\n", err)
		os.Exit(1)
	}
	file := filepath.Join(filepath.Dir(exe), name)
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-kubernetes: %v; rebuild it with `npm run toolchain pulumi-resource-kubernetes`\n", err)
		os.Exit(1)
	}
	return data
}

func main() {
	provider.Serve("kubernetes", release, besideExecutable("schema.json"), besideExecutable("terraform-mapping.json"))
}
