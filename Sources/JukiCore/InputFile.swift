public import Foundation

/// Why a file given on the command line could not be read, in plain words.
public struct InputFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the path.
    public enum Reason: Sendable, Hashable {
        case missing
        case folder
        /// A device, a pipe or a socket: reading it could block or never end.
        case notRegularFile
        case notReadable
        case tooLarge(bytes: Int, limit: Int)
        case notText
    }

    public var path: String
    public var reason: Reason

    public var description: String {
        switch reason {
        case .missing: "no such file"
        case .folder: "is a folder, not a file"
        case .notRegularFile: "is not a regular file (a device, a pipe or a socket)"
        case .notReadable: "cannot be read (permission denied)"
        case .tooLarge(let bytes, let limit): "the file is \(bytes) bytes; at most \(limit / 1_000_000) MB is read"
        case .notText: "the file is not UTF-8 text (binary file?)"
        }
    }
}

/// Reads the files users name (scenarios, summaries, audit trails): only regular files, up to a size limit, so a
/// folder, `/dev/zero` or a pipe gets a plain answer instead of a hang or a Foundation error code.
public enum InputFile {
    /// The file's bytes, after checking it is a readable regular file of at most `limit` bytes.
    public static func read(_ path: String, limit: Int) throws(InputFileError) -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputFileError(path: path, reason: .missing)
        }
        if isFolder.boolValue { throw InputFileError(path: path, reason: .folder) }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            throw InputFileError(path: path, reason: .notRegularFile)
        }
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limit else { throw InputFileError(path: path, reason: .tooLarge(bytes: size, limit: limit)) }
        guard FileManager.default.isReadableFile(atPath: path), let data = FileManager.default.contents(atPath: path)
        else {
            throw InputFileError(path: path, reason: .notReadable)
        }
        // The file may have grown between the check and the read.
        guard data.count <= limit else {
            throw InputFileError(path: path, reason: .tooLarge(bytes: data.count, limit: limit))
        }
        return data
    }

    /// The file as UTF-8 text without NUL characters.
    public static func text(_ path: String, limit: Int) throws(InputFileError) -> String {
        let data = try read(path, limit: limit)
        guard let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") else {
            throw InputFileError(path: path, reason: .notText)
        }
        return text
    }
}
