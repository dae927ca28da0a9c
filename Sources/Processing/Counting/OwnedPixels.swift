/// One per-pixel buffer allocated once, zeroed, and freed with its owner: the state of the
/// charge-integrating kernels, which must not allocate per frame. Owned by the kernel object
/// that created it (and so by that object's thread).
final class OwnedPixels<Element: BitwiseCopyable> {
    let pointer: UnsafeMutableBufferPointer<Element>

    init(count: Int, zero: Element) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: zero)
    }

    deinit { pointer.deallocate() }

    var base: UnsafeMutablePointer<Element> { pointer.baseAddress! }
    var readOnly: UnsafeBufferPointer<Element> { UnsafeBufferPointer(pointer) }

    func fill(_ value: Element) { pointer.update(repeating: value) }
}
