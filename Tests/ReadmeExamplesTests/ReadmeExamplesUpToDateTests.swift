import Foundation
import Testing

/// The README's Swift examples are compiled (ReadmeExamples.swift, generated from README.md, is part of
/// this target); this test fails when the README and the compiled copy differ.
@Suite("README examples compile")
struct ReadmeExamplesUpToDateTests {
    static let root = String(#filePath).components(separatedBy: "/Tests/").first ?? "."

    @Test("every swift block of the README is compiled here, word for word (else: run generate.py)")
    func compiledCopyMatchesTheReadme() throws {
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8).components(separatedBy: "\n")
        let generated = try String(contentsOfFile: Self.root + "/Tests/ReadmeExamplesTests/ReadmeExamples.swift", encoding: .utf8)
            .components(separatedBy: "\n")
        #expect(Self.readmeBlocks(readme) == Self.compiledBlocks(generated),
                "README.md changed: run `python3 Tests/ReadmeExamplesTests/generate.py`")
        #expect(!Self.readmeBlocks(readme).isEmpty)
    }

    /// The code of each swift block not marked `<!-- not compiled`, without its import lines.
    static func readmeBlocks(_ lines: [String]) -> [[String]] {
        var blocks: [[String]] = []
        var index = 0
        while index < lines.count {
            if lines[index].trimmingCharacters(in: .whitespaces) == "```swift" {
                let skipped = lines[max(0, index - 2)..<index].contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("<!-- not compiled") }
                var end = index + 1
                while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" { end += 1 }
                if !skipped { blocks.append(lines[(index + 1)..<end].filter { !$0.hasPrefix("import ") }) }
                index = end
            }
            index += 1
        }
        return blocks
    }

    /// The bodies of the generated functions, without their prelude and indentation.
    static func compiledBlocks(_ lines: [String]) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]?
        for line in lines {
            if line.hasPrefix("func readmeExample") {
                current = []
            } else if line == "}", let block = current {
                blocks.append(block)
                current = nil
            } else if current != nil, !line.hasSuffix("// prelude") {
                current?.append(line.hasPrefix("    ") ? String(line.dropFirst(4)) : line)
            }
        }
        return blocks
    }
}
