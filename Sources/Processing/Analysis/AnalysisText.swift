/// Small text helpers for the option parsers of the analysis kernels (Processing does not
/// import Foundation).
enum AnalysisText {
    /// `text` without leading and trailing blanks (spaces, tabs, line ends).
    static func trim<S: StringProtocol>(_ text: S) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let start = text.firstIndex(where: { !isBlank($0) }),
              let end = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[start...end])
    }
}
