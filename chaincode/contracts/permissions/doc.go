// Package permissions records access permissions between administrations
// (transactions "Permissions:*"), endorsed by owner and grantee, and every
// use made of them, so that a citizen sees who consulted data about them.
package permissions
