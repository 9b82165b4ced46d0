import Foundation
import JukiCore
import Testing

@Suite("Reading the files users name")
struct InputFileTests {
    @Test("a file or a link to one is read; a folder, a device, a missing file or one over the limit is refused")
    func kinds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("a.yaml").path
        try "name: x\n".write(toFile: file, atomically: true, encoding: .utf8)
        let link = dir.appendingPathComponent("link.yaml").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(try InputFile.text(file, limit: 100) == "name: x\n")
        #expect(try InputFile.text(link, limit: 100) == "name: x\n")
        func reason(_ path: String, limit: Int = 100) -> InputFileError.Reason? {
            do {
                _ = try InputFile.text(path, limit: limit)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason(dir.path) == .folder)
        #expect(reason("/dev/zero") == .notRegularFile)
        #expect(reason(dir.appendingPathComponent("none").path) == .missing)
        #expect(reason(file, limit: 4) == .tooLarge(bytes: 8, limit: 4))
        let binary = dir.appendingPathComponent("b.yaml").path
        try Data([0x61, 0, 0x62]).write(to: URL(fileURLWithPath: binary))
        #expect(reason(binary) == .notText)
    }
}
