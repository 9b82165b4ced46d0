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
        case .notRegularFile: "is not a regular file (a device or a socket)"
        case .notReadable: "cannot be read (permission denied)"
        case .tooLarge(let bytes, let limit):
            (bytes > limit + 1 ? "the file is \(bytes) bytes" : "the file is over \(limit / 1_000_000) MB")
                + "; at most \(limit / 1_000_000) MB is read"
        case .notText: "the file is not UTF-8 text (binary file?)"
        }
    }
}

/// Reads the files users name (scenarios, summaries, audit trails): only regular files, up to a size limit, so a
/// folder, `/dev/zero` or a pipe gets a plain answer instead of a hang or a Foundation error code.
public enum InputFile {
    /// The file's bytes, after checking it is a readable file of at most `limit` bytes: a regular file (or a link
    /// to one), or a pipe (`<(…)`, standard input as `/dev/stdin`), read up to the limit; never a folder or a device.
    public static func read(_ path: String, limit: Int) throws(InputFileError) -> Data {
        // stat follows links, as opening the file does.
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputFileError(path: path, reason: errno == EACCES ? .notReadable : .missing)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            throw InputFileError(path: path, reason: .folder)
        case S_IFREG:
            guard Int(info.st_size) <= limit else {
                throw InputFileError(path: path, reason: .tooLarge(bytes: Int(info.st_size), limit: limit))
            }
        case S_IFIFO:
            break
        default:
            throw InputFileError(path: path, reason: .notRegularFile)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputFileError(path: path, reason: .notReadable)
        }
        defer { try? handle.close() }
        // One byte past the limit tells a file that grew (or a pipe that goes on) from one that fits.
        guard let data = try? handle.read(upToCount: limit + 1) ?? Data() else {
            throw InputFileError(path: path, reason: .notReadable)
        }
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
