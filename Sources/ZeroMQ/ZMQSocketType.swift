import CZeroMQ

/// The libzmq socket patterns detview uses. A plain value, shared freely.
public enum ZMQSocketType: Sendable, CaseIterable {
    case pub, sub, xpub, xsub, push, pull, pair

    var rawValue: Int32 {
        switch self {
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .xpub: ZMQ_XPUB
        case .xsub: ZMQ_XSUB
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .pair: ZMQ_PAIR
        }
    }
}
