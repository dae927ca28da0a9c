/// What the UI wants the workers to compute. Binning: 0 = max, 1 = mean.
public struct ControlSettings: Equatable, Sendable {
    /// The heatmap area in display pixels (terminal cells × 2 rows).
    public var displayWidth: UInt32
    public var displayHeight: UInt32
    public var binning: UInt32
    public var mode: UInt32
    /// What a JUNGFRAU pixel shows: its ADC value (bits 13–0) or its gain stage (bits 15–14).
    public var pixelView: UInt32
    /// Which channel of a multi-channel stream (stream v2 `threshold_1`, …) becomes the
    /// frame, as an index into the image's channels modulo their count. The receiver reads it.
    public var channel: UInt32

    public static let binMax: UInt32 = 0
    public static let binMean: UInt32 = 1
    public static let viewValue: UInt32 = 0
    public static let viewGainStage: UInt32 = 1

    public init(displayWidth: UInt32 = 0, displayHeight: UInt32 = 0, binning: UInt32 = 0, mode: UInt32 = 0,
                pixelView: UInt32 = 0, channel: UInt32 = 0) {
        self.displayWidth = displayWidth
        self.displayHeight = displayHeight
        self.binning = binning
        self.mode = mode
        self.pixelView = pixelView
        self.channel = channel
    }
}

/// A consistent view of the control block.
public struct ControlSnapshot: Equatable, Sendable {
    public var settings: ControlSettings
    /// Bumped on every `set`; workers tag their results with it.
    public var generation: UInt32
    public var shutdown: Bool
}

/// Settings written by the UI (main thread of the viewer) and read by every worker at each
/// frame. The settings are guarded by a sequence lock, so a worker never sees a display
/// width from one change with a height from another; writers serialise on the lock word
/// itself (odd = write in progress), so a second writer would wait rather than corrupt.
public final class ControlBlock: @unchecked Sendable {
    private let region: SharedRegion
    private let base: UnsafeMutableRawPointer

    // Offsets in the block.
    private static let lockOffset = 0
    private static let generationOffset = 4
    private static let shutdownOffset = 8
    private static let displayWidthOffset = 16
    private static let displayHeightOffset = 20
    private static let binningOffset = 24
    private static let modeOffset = 28
    private static let pixelViewOffset = 32
    private static let channelOffset = 36

    init(region: SharedRegion, layout: RegionLayout) {
        self.region = region
        base = region.base + layout.controlOffset
    }

    private func field(_ offset: Int) -> UnsafeMutablePointer<UInt32> { word32(base, offset) }

    /// Replaces the settings and bumps the generation.
    public func set(_ settings: ControlSettings) {
        let lock = field(Self.lockOffset)
        var round = 0
        while true {
            let value = lock.atomicLoad()
            if value & 1 == 0, lock.atomicCompareExchange(expected: value, desired: value &+ 1) { break }
            round += 1
            spinBackoff(round)
        }
        field(Self.displayWidthOffset).atomicStore(settings.displayWidth)
        field(Self.displayHeightOffset).atomicStore(settings.displayHeight)
        field(Self.binningOffset).atomicStore(settings.binning)
        field(Self.modeOffset).atomicStore(settings.mode)
        field(Self.pixelViewOffset).atomicStore(settings.pixelView)
        field(Self.channelOffset).atomicStore(settings.channel)
        field(Self.generationOffset).atomicAdd(1)
        lock.atomicAdd(1)
    }

    /// Asks workers to exit; they see it at their next frame or wake-up.
    public func requestShutdown() { field(Self.shutdownOffset).atomicStore(1) }

    public var isShuttingDown: Bool { field(Self.shutdownOffset).atomicLoad() != 0 }

    public var generation: UInt32 { field(Self.generationOffset).atomicLoad() }

    public func snapshot() -> ControlSnapshot {
        let lock = field(Self.lockOffset)
        var round = 0
        while true {
            let before = lock.atomicLoad()
            if before & 1 == 0 {
                let snapshot = ControlSnapshot(
                    settings: ControlSettings(
                        displayWidth: field(Self.displayWidthOffset).atomicLoad(),
                        displayHeight: field(Self.displayHeightOffset).atomicLoad(),
                        binning: field(Self.binningOffset).atomicLoad(),
                        mode: field(Self.modeOffset).atomicLoad(),
                        pixelView: field(Self.pixelViewOffset).atomicLoad(),
                        channel: field(Self.channelOffset).atomicLoad()),
                    generation: field(Self.generationOffset).atomicLoad(),
                    shutdown: field(Self.shutdownOffset).atomicLoad() != 0)
                if lock.atomicLoad() == before { return snapshot }
            }
            round += 1
            spinBackoff(round)
        }
    }
}
