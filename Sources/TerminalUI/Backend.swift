/// Where finished frames go: a terminal, or a `TestBackend` in tests.
///
/// A backend is owned by the thread that renders (the main thread). `draw` receives the whole
/// frame; a backend is expected to send only what changed since its previous frame.
public protocol Backend {
    var size: (width: Int, height: Int) { get }
    mutating func draw(_ buffer: Buffer)
}
