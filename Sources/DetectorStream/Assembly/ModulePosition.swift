/// Where one port's image sits in a multi-port slsDetector, as its header says (PROTOCOLS.md §1):
/// `row` counts ports along y (slow axis), `column` along x (fast axis), and `detshape` [x, y] is
/// the grid of ports (slsDetector's client places port (row, column) at y = row × ny,
/// x = column × nx). Filled by `SlsStreamDecoder` on the receiver thread; a plain value.
public struct ModulePosition: Sendable, Equatable {
    public var row: Int
    public var column: Int
    /// `detshape[0]`: ports across x; 0 when the header does not say.
    public var gridColumns: Int
    /// `detshape[1]`: ports along y; 0 when the header does not say.
    public var gridRows: Int
    /// The header's `flipRows`: the port's rows arrive bottom-up (EIGER bottom half-modules).
    public var flipRows: Bool
    /// The header's `quad` (EIGER quad). Not interpreted: see `ModuleAssembler`.
    public var quad: Bool
    /// slsDetector `detType` (1 EIGER, 3 JUNGFRAU, 5 MOENCH, ...), 0 when unknown.
    public var detectorType: Int
    /// The header's `modId`, for messages.
    public var moduleID: Int

    public init(row: Int, column: Int, gridColumns: Int, gridRows: Int, flipRows: Bool = false,
                quad: Bool = false, detectorType: Int = 0, moduleID: Int = 0) {
        self.row = row
        self.column = column
        self.gridColumns = gridColumns
        self.gridRows = gridRows
        self.flipRows = flipRows
        self.quad = quad
        self.detectorType = detectorType
        self.moduleID = moduleID
    }

    /// Whether the assembler must reverse this port's rows. slsDetector's receiver sets
    /// `flipRows` for EIGER bottom half-modules and its client flips them when placing; JUNGFRAU
    /// and MOENCH flip rows in the detector itself (slsDetector `fliprows` help: "flips rows in
    /// the detector itself ... slsReceiver and slsDetectorGui does not handle"), so for those the
    /// pixels already arrive in order and the flag is ignored. Any other family: honoured.
    public var rowsArriveFlipped: Bool {
        flipRows && detectorType != 3 && detectorType != 5
    }
}
