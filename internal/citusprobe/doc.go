// Package citusprobe records, as a test run by `make test-citus`, what
// stops Tandem's schema from being distributed on Citus today: every tenant
// table by tenant_id, co-located, and the global few as reference tables
// (docs/scale.md, "Towards Citus").
package citusprobe
