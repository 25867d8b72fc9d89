// Package history reads the history of any public record
// ("History:Record"): every committed version with its transaction.
package history
