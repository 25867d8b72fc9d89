// Package subsidies keeps aid programmes, grants and payments
// (transactions "Subsidies:*"), with four-eyes approval across
// administrations, budget and payment ceilings and the EU de minimis
// ceiling over all administrations together.
package subsidies
