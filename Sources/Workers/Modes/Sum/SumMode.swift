/// Sum mode: the running sum of the frames (pedestal-subtracted on a charge-integrating
/// detector); the view adds the workers' sums.
final class SumMode: AccumulatingUnit {
    let sums: ImageAccumulation

    init(_ setup: ModeSetup) throws {
        sums = try ImageAccumulation(setup)
    }
}
