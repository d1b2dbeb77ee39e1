package jobs

// The arguments of the jobs the SQL queue functions insert, for the test
// that reads those rows back through River (queue_shape_test.go).
type (
	DeliveryArgs   = deliveryArgs
	FulfilmentArgs = fulfilmentArgs
)
