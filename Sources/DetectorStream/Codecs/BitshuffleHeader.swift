/// How a bitshuffle-LZ4 payload starts: real senders write the 12-byte header (decoded size,
/// block size) correctly, as zeros, or not at all. The decoder accepts all three; encoders
/// (simulator, tests) pick one to imitate a sender. A plain value.
public enum BitshuffleHeader: Sendable, CaseIterable {
    case present
    case zeroed
    case missing
}
