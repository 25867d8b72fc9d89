package portal

// SetLiteralMessages turns the per-language templates on or off for the
// servers made next (render.go); the returned function restores it.
func SetLiteralMessages(on bool) (restore func()) {
	old := literalMessages
	literalMessages = on
	return func() { literalMessages = old }
}
