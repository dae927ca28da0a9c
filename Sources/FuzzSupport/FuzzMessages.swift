/// Splits one fuzz input into ZeroMQ-like messages for the multi-part stream decoders, so that one
/// input drives a decoder through several messages and its state between them (pending headers,
/// open series). Built and used inside one `LLVMFuzzerTestOneInput` call.
///
/// Layout (every field optional: the input may end anywhere):
///
///     input   = flags:u8 message*            at most `maxMessages` messages
///     message = head:u8 part*                head & 0x0F = number of parts (0...15)
///                                            head & 0x10 = call idle() before this message
///     part    = length:u24 little-endian, then `length` bytes (clamped to what remains)
///
/// An input that ends inside a message still delivers the parts read so far. Every part is copied
/// into its own allocation of exactly its size, so AddressSanitizer catches a decoder reading one
/// byte past a part even when more of the input follows it.
public struct FuzzMessages: ~Copyable {
    /// One message: its parts, and whether the harness calls `idle` before consuming it.
    public struct Message {
        public var idleBefore: Bool
        public var parts: [UnsafeRawBufferPointer]
    }

    public static let maxMessages = 256

    /// The first byte: option bits each target interprets (documented in its main.swift).
    public let flags: UInt8
    public let messages: [Message]
    private let allocations: [UnsafeMutableRawBufferPointer]

    public init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        let input = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
        var offset = 0
        func byte() -> UInt8? {
            guard offset < input.count else { return nil }
            defer { offset += 1 }
            return input[offset]
        }
        var allocations: [UnsafeMutableRawBufferPointer] = []
        var messages: [Message] = []
        flags = byte() ?? 0
        while messages.count < Self.maxMessages, let head = byte() {
            var message = Message(idleBefore: head & 0x10 != 0, parts: [])
            for _ in 0..<Int(head & 0x0F) {
                guard let b0 = byte(), let b1 = byte(), let b2 = byte() else { break }
                let length = min(Int(b0) | Int(b1) << 8 | Int(b2) << 16, input.count - offset)
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 1)
                if length > 0 {
                    copy.copyMemory(from: UnsafeRawBufferPointer(rebasing: input[offset..<(offset + length)]))
                }
                offset += length
                allocations.append(copy)
                message.parts.append(UnsafeRawBufferPointer(copy))
            }
            messages.append(message)
        }
        self.messages = messages
        self.allocations = allocations
    }

    /// One message borrowed from another input (the parts stay owned by that input).
    public init(single message: Message, flags: UInt8 = 0) {
        self.flags = flags
        messages = [message]
        allocations = []
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }
}
