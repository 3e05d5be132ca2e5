//! The `lvzhi` binary: parses the command line and hands over to [`lvzhi::cli`].

fn main() -> std::process::ExitCode {
    lvzhi::cli::main()
}
