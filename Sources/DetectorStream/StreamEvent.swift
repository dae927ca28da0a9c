/// What a `StreamDecoder` reports for the messages it consumes, in order.
/// `frame`'s payload points into the caller's message and is valid ONLY during the emit callback.
public enum StreamEvent {
    case seriesStart(SeriesInfo)
    case frame(FrameDescriptor, payload: UnsafeRawBufferPointer)
    case seriesEnd(series: UInt64, frames: UInt64)
    /// Frames the detector numbered but the stream did not deliver.
    case gap(series: UInt64, missing: UInt64)
    case bad(StreamError)
    /// The series' pixel mask, when the stream sends one; it comes after the series' start.
    case pixelMask(series: UInt64, PixelMask)
}

/// Turns the messages of one wire format into `StreamEvent`s. Owned by the receiver thread
/// (one decoder per socket); it keeps the little state a format needs between messages.
public protocol StreamDecoder {
    var format: WireFormat { get }
    /// One ZMQ message: its parts, valid only during the call.
    mutating func consume(_ parts: [UnsafeRawBufferPointer], emit: (StreamEvent) -> Void)
    /// Nothing arrived for the caller's idle timeout: ends an open series whose end was lost.
    mutating func idle(emit: (StreamEvent) -> Void)
}
