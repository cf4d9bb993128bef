using System.Runtime.InteropServices;
using Runcs.Native;

namespace Runcs.Container;

/// <summary>
/// While `run` or `exec` waits in the foreground, signals sent to runcs go to the
/// container's process instead (as runc does): Ctrl-C or `kill` on runcs reaches
/// the workload, which decides what to do with it.
/// </summary>
public sealed class SignalForwarder : IDisposable
{
    private static readonly int[] Forwarded = { 1, 2, 3, 10, 12, 15, 28 /* HUP INT QUIT USR1 USR2 TERM WINCH */ };
    private readonly List<PosixSignalRegistration> registrations = new();

    public SignalForwarder(int pid, bool skipWinch = false)
    {
        foreach (var sig in Forwarded)
        {
            if (skipWinch && sig == 28) continue;
            int s = sig;
            registrations.Add(PosixSignalRegistration.Create((PosixSignal)s, ctx =>
            {
                ctx.Cancel = true;
                Sys.Kill(pid, s);
            }));
        }
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
    }
}
