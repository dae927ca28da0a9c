import Platform

// Words inside the shared mapping, by offset. Their atomic operations are Platform's
// (AtomicWords.swift), sequentially consistent across all processes.

@inline(__always)
func word64(_ base: UnsafeMutableRawPointer, _ offset: Int) -> UnsafeMutablePointer<UInt64> {
    (base + offset).assumingMemoryBound(to: UInt64.self)
}

@inline(__always)
func word32(_ base: UnsafeMutableRawPointer, _ offset: Int) -> UnsafeMutablePointer<UInt32> {
    (base + offset).assumingMemoryBound(to: UInt32.self)
}
