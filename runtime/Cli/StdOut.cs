using System.Text;
using Runcs.Native;

namespace Runcs.Cli;

/// <summary>
/// What a verb prints, written straight to fd 1. System.Console's first use sets up terminal
/// handling for the whole process (a signal-handling thread, handlers for SIGINT, SIGQUIT,
/// SIGCONT, SIGCHLD and SIGWINCH, termios probes of fds 0 and 1): a few hundred microseconds
/// of every `state` or `list`, for output that is a single write.
/// </summary>
public static class StdOut
{
    public static void Write(string text) => Sys.WriteAll(1, Encoding.UTF8.GetBytes(text), "write to standard output");

    public static void WriteLine(string text) => Write(text + "\n");
}
