package lint

// MaxNodes exposes maxNodes to the tests.
func MaxNodes() uint { return maxNodes }
