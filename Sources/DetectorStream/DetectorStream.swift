import CLZ4
// DetectorStream: placeholder.
