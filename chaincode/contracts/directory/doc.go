// Package directory is the directory of member administrations
// (transactions "Directory:*"): each publishes and updates its own profile.
// The list of profiles is the list of members that other contracts use.
package directory
