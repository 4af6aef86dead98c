//go:build tools

// Package platform lists the binaries this module pins, so that go mod tidy keeps their dependencies.
package platform

import (
	_ "github.com/dapr/dapr/cmd/daprd"
	_ "github.com/dapr/dapr/cmd/scheduler"
)
