import CZeroMQ
// ZeroMQ: placeholder until its first real file lands.
