/// Analog mode: the sum of pedestal-subtracted frames of a charge-integrating detector (on
/// a photon-counting one, of the frames as they are); the view adds the workers' sums.
final class AnalogMode: AccumulatingUnit {
    let sums: ImageAccumulation

    init(_ setup: ModeSetup) throws {
        sums = try ImageAccumulation(setup)
    }
}
