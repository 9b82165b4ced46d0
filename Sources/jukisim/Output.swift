import Foundation

/// Writing to standard output, standard error and files, and the progress line.
enum Output {
    static func standardError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Whether standard error is a terminal (progress lines are shown only then).
    static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }

    /// A sink that writes bytes to `path` (or standard output when `nil`) and reports I/O errors.
    final class Sink {
        let file: UnsafeMutablePointer<FILE>
        let path: String
        let owned: Bool

        init(path: String?) throws(JukisimExit) {
            if let path {
                guard let f = fopen(path, "wb") else {
                    throw JukisimExit(
                        code: .internalError,
                        message: "output '\(path)': cannot open for writing: \(String(cString: strerror(errno)))")
                }
                file = f
                self.path = path
                owned = true
            } else {
                // A FILE of our own on descriptor 1: the C `stdout` global is not concurrency-safe to touch.
                guard let f = fdopen(STDOUT_FILENO, "wb") else {
                    throw JukisimExit(code: .internalError, message: "standard output: cannot open for writing")
                }
                file = f
                self.path = "standard output"
                owned = false
            }
        }

        func write(_ bytes: [UInt8]) throws(JukisimExit) {
            let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            guard written == bytes.count else {
                throw JukisimExit(
                    code: .internalError, message: "output '\(path)': write failed: \(String(cString: strerror(errno)))"
                )
            }
        }

        func close() throws(JukisimExit) {
            let result = owned ? fclose(file) : fflush(file)
            guard result == 0 else {
                throw JukisimExit(
                    code: .internalError, message: "output '\(path)': close failed: \(String(cString: strerror(errno)))"
                )
            }
        }
    }

    /// A one-line progress display on a terminal; silent otherwise.
    struct Progress: Sendable {
        let enabled: Bool

        func update(_ phase: String, _ fraction: Double) {
            guard enabled else { return }
            let percent = Int((fraction * 100).rounded())
            FileHandle.standardError.write(Data("\r\u{1B}[2K  \(phase) \(percent)%".utf8))
        }

        func finish() {
            guard enabled else { return }
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
        }
    }
}
