using System.Text;
using Runcs.Native;

namespace Runcs.Bootstrap;

/// <summary>
/// The runtime's side of starting a container process: spawn the C stage, send
/// the bootstrap message, write the id maps when asked, hand it the files it
/// places the child in its cgroups with (before a new cgroup namespace is made,
/// so it is rooted at the container's cgroup), and learn the final pid.
/// </summary>
public sealed class Launcher
{
    public sealed class Request
    {
        /// <summary>Text lines for the C stage (see bootstrap.c).</summary>
        public StringBuilder Message { get; } = new("runcs-bootstrap 1\n");
        public int PreserveFds { get; init; }
        /// <summary>Fds the child gets after the sync socket: 3+N+1, 3+N+2, ...</summary>
        public List<int> ExtraFds { get; } = new();
        /// <summary>Called when stage 1 has created its user namespace and waits for maps.</summary>
        public Action<int>? WriteIdMaps { get; init; }

        /// <summary>
        /// The placement files come after the spawn (see <see cref="Spawn"/>): the C stage asks
        /// for them once its namespaces exist.
        /// </summary>
        public void PlacementLater() => Message.Append("cgroups\n");

        /// <summary>Namespaces stage 1 makes after the fork ("late", see bootstrap.c); 0 for none.</summary>
        public int LateFlags { get; set; }
    }

    public sealed class Started : IDisposable
    {
        public int Pid { get; init; }
        /// <summary>The child was born in its cgroup2 directory (clone3 CLONE_INTO_CGROUP).</summary>
        public bool InCgroup { get; init; }
        public SyncChannel Channel { get; init; } = null!;
        /// <summary>The C stage's intermediate process (it exits right after reporting the pid).</summary>
        public int Stage1 { get; init; }
        /// <summary>Namespaces stage 1 makes after the fork; see <see cref="ReceiveLateNamespaces"/>.</summary>
        public int LateFlags { get; init; }
        private bool reaped;

        /// <summary>
        /// The namespaces stage 1 made after the fork, as (name under /proc/PID/ns, fd) pairs, for the
        /// child to enter first thing (they travel with its configuration). Empty when none were asked.
        /// </summary>
        public List<(string Name, int Fd)> ReceiveLateNamespaces()
        {
            var result = new List<(string, int)>();
            if (LateFlags == 0) return result;
            var text = Channel.Receive(out int[] fds) ?? throw new RuncsException("the bootstrap stage exited before it made the namespaces");
            var lines = text.Split('\n');
            if (lines[0] != "ns")
            {
                foreach (var fd in fds) Sys.Close(fd);
                var (word, rest) = SyncChannel.Split(text);
                throw new RuncsException(word == "error" ? rest : $"bootstrap: unexpected message '{text}'");
            }
            foreach (var line in lines.Skip(1))
            {
                var (name, index) = SyncChannel.Split(line);
                if (!int.TryParse(index, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) || i >= fds.Length)
                {
                    foreach (var fd in fds) Sys.Close(fd);
                    throw new RuncsException($"bootstrap: bad namespace line '{line}'");
                }
                result.Add((name, fds[i]));
            }
            return result;
        }

        /// <summary>Reaps the C stage; by the time the configuration was sent it has long exited.</summary>
        public void ReapStage1()
        {
            if (reaped || Stage1 <= 0) return;
            reaped = true;
            Sys.Waitpid(Stage1, out _, 0);
        }

        public void Dispose()
        {
            Channel.Dispose();
            ReapStage1();
        }

        /// <summary>
        /// Sends to the child; when the child has already failed (its end is closed),
        /// reports the child's own error message instead of a broken pipe.
        /// </summary>
        public void Send(string message, IReadOnlyList<int>? fds = null)
        {
            try
            {
                Channel.Send(Encoding.UTF8.GetBytes(message), fds?.ToArray() ?? Array.Empty<int>(), "send the configuration and its files");
            }
            catch (SysException e) when (e.Code is Errno.EPIPE or Errno.ECONNRESET)
            {
                var reply = Channel.Receive();
                if (reply != null)
                {
                    var (word, text) = SyncChannel.Split(reply);
                    if (word == "error") throw new RuncsException(text);
                }
                throw new RuncsException("the container process exited before it received its configuration");
            }
        }
    }

    /// <summary>The fd number the child sees for ExtraFds[i].</summary>
    public static int ChildFdOf(int preserveFds, int index) => Spawner.FirstChildFd(preserveFds) + 1 + index;

    public static Started Start(Request req) => Spawn(req).Finish(null);

    /// <summary>
    /// Spawns the C stage and sends it the message; the caller makes the cgroups meanwhile
    /// (the C stage execs and makes its namespaces, a millisecond or two) and hands the
    /// placement files to <see cref="Pending.Finish"/>. The message must say "cgroups"
    /// (<see cref="Request.PlacementLater"/>) when a placement will follow.
    /// </summary>
    public static Pending Spawn(Request req)
    {
        var (stage1, channel) = SpawnStage1(req);
        Logging.RuncLog.Debug($"C stage spawned (pid {stage1})");
        return new Pending(req, stage1, channel);
    }

    /// <summary>A spawned C stage not yet past its fork. Dispose before Finish ends it.</summary>
    public sealed class Pending : IDisposable
    {
        private readonly Request req;
        private readonly int stage1;
        private readonly SyncChannel channel;
        private bool done;

        internal Pending(Request req, int stage1, SyncChannel channel)
        {
            this.req = req;
            this.stage1 = stage1;
            this.channel = channel;
        }

        /// <summary>Serves the C stage's requests (id maps, the placement files) until it reports the child's pid.</summary>
        public Started Finish(Cgroups.CgroupManager.Placement? placement)
        {
            done = true;
            int pid;
            bool inCgroup;
            try
            {
                var (word, rest) = NextMessage(req, stage1, channel, placement);
                if (word != "pid") throw new RuncsException($"bootstrap: unexpected message '{word} {rest}'");
                var (number, flag) = SyncChannel.Split(rest);
                pid = int.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
                inCgroup = flag == "cgroup";
            }
            catch
            {
                Abort(stage1, channel);
                throw;
            }
            // The C stage exits right after this message; it is reaped when the caller is done with
            // the child, not waited for now (its exit, on the other CPU, is no longer on the path).
            return new Started { Pid = pid, InCgroup = inCgroup, Channel = channel, Stage1 = stage1, LateFlags = req.LateFlags };
        }

        public void Dispose()
        {
            if (done) return;
            done = true;
            Abort(stage1, channel);
        }
    }

    /// <summary>
    /// For a message with "hold": the C stage made its namespaces and waits; <paramref name="use"/>
    /// gets its pid (e.g. to open /proc/PID/ns/user), then the process is ended.
    /// </summary>
    public static T Hold<T>(Request req, Func<int, T> use)
    {
        var (stage1, channel) = SpawnStage1(req);
        try
        {
            var (word, rest) = NextMessage(req, stage1, channel);
            if (word != "held") throw new RuncsException($"bootstrap: unexpected message '{word} {rest}'");
            return use(stage1);
        }
        finally
        {
            Abort(stage1, channel);
        }
    }

    /// <summary>Ends the C stage (killed and reaped) and closes its channel.</summary>
    private static void Abort(int stage1, SyncChannel channel)
    {
        Sys.Kill(stage1, 9);
        Sys.Waitpid(stage1, out _, 0);
        channel.Dispose();
    }

    /// <summary>A C stage spawned ahead of need (<see cref="SpawnEarly"/>), waiting for its message.</summary>
    private static (int Pid, SyncChannel Channel, int PreserveFds)? early;

    /// <summary>
    /// Spawns the C stage first thing, before the verb reads its bundle or state: its exec,
    /// dynamic linking and constructor (~1 ms) then overlap that work instead of following
    /// it. It waits for its message, which brings the files it hands on (see bootstrap.c).
    /// A verb that fails or does not need it leaves it to <see cref="ReleaseEarly"/>.
    /// Failing here is not an error: the verb spawns one when it needs it and reports then.
    /// </summary>
    public static void SpawnEarly(int preserveFds)
    {
        if (early != null || preserveFds < 0) return;
        try { var (pid, channel) = SpawnBare(preserveFds); early = (pid, channel, preserveFds); }
        catch (Exception e) when (e is SysException or RuncsException or IOException)
        {
            Logging.RuncLog.Debug($"early C stage not spawned: {e.Message}");
        }
    }

    /// <summary>Ends an early C stage nobody took (it exits on the closed channel; killed to be sure, and reaped).</summary>
    public static void ReleaseEarly()
    {
        if (early is not { } e) return;
        early = null;
        Abort(e.Pid, e.Channel);
    }

    private static (int Pid, SyncChannel Channel) SpawnBare(int preserveFds)
    {
        var (channel, childEnd) = SyncChannel.CreatePair();
        try
        {
            int pid = Spawner.Spawn(new Spawner.SpawnRequest
            {
                PreserveFds = preserveFds,
                ChildFds = new List<int> { childEnd },
                Environment = new List<string> { $"_RUNCS_BOOTSTRAP={Spawner.FirstChildFd(preserveFds)}" },
            });
            return (pid, channel);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
        finally
        {
            Sys.Close(childEnd);
        }
    }

    private static (int Pid, SyncChannel Channel) SpawnStage1(Request req)
    {
        int stage1;
        SyncChannel channel;
        if (early is { } e && e.PreserveFds == req.PreserveFds)
        {
            early = null;
            (stage1, channel) = (e.Pid, e.Channel);
        }
        else
        {
            (stage1, channel) = SpawnBare(req.PreserveFds);
        }
        try
        {
            SendMessage(channel, req);
        }
        catch
        {
            Abort(stage1, channel);
            throw;
        }
        return (stage1, channel);
    }

    /// <summary>
    /// The message, with the extra fds attached: "fd I TARGET" puts attached file I at the
    /// number the child expects (<see cref="ChildFdOf"/>); an entry of -1 leaves its number free.
    /// </summary>
    private static void SendMessage(SyncChannel channel, Request req)
    {
        var (text, fds) = Compose(req);
        channel.Send(Encoding.UTF8.GetBytes(text), fds, "send the bootstrap message and its files");
    }

    /// <summary>The message text and the files to attach, in attachment order.</summary>
    internal static (string Text, int[] Fds) Compose(Request req)
    {
        var text = new StringBuilder(req.Message.ToString());
        var fds = new List<int>();
        for (int i = 0; i < req.ExtraFds.Count; i++)
        {
            if (req.ExtraFds[i] < 0) continue;
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"fd {fds.Count} {ChildFdOf(req.PreserveFds, i)}\n");
            fds.Add(req.ExtraFds[i]);
        }
        return (text.ToString(), fds.ToArray());
    }

    /// <summary>The C stage's next word that is not a request (id maps, placement files: served here).</summary>
    private static (string Word, string Text) NextMessage(Request req, int stage1, SyncChannel channel,
        Cgroups.CgroupManager.Placement? placement = null)
    {
        while (true)
        {
            var msg = channel.Receive() ?? throw new RuncsException("the bootstrap stage exited without a word");
            var (word, rest) = SyncChannel.Split(msg);
            switch (word)
            {
                case "usermap":
                    try { req.WriteIdMaps?.Invoke(stage1); }
                    catch { channel.Send("fail"); throw; }
                    channel.Send("ok");
                    break;
                case "cgroups":
                    SendPlacement(channel, placement);
                    break;
                case "error":
                    throw new RuncsException(rest);
                default:
                    return (word, rest);
            }
        }
    }

    /// <summary>The answer to "cgroups": which attached file is what (see bootstrap.c).</summary>
    internal static void SendPlacement(SyncChannel channel, Cgroups.CgroupManager.Placement? placement)
    {
        var fds = new List<int>();
        var text = new StringBuilder("runcs-cgroups 1\n");
        if (placement?.V2DirFd >= 0)
        {
            text.Append($"cgroupfd {fds.Count}\n");
            fds.Add(placement.V2DirFd);
        }
        foreach (var fd in placement?.TaskFds ?? new List<int>())
        {
            text.Append($"cgtasks {fds.Count}\n");
            fds.Add(fd);
        }
        channel.Send(Encoding.UTF8.GetBytes(text.ToString()), fds.ToArray(), "send the cgroup files to the bootstrap stage");
    }

    /// <summary>Exit status as a shell reports it: the code, or 128+N when killed by signal N.</summary>
    public static int ExitCodeOf(int status)
    {
        int sig = status & 0x7f;
        return sig == 0 ? (status >> 8) & 0xff : 128 + sig;
    }

    public static int Wait(int pid)
    {
        while (true)
        {
            int rc = Sys.Waitpid(pid, out int status, 0);
            if (rc == pid) return ExitCodeOf(status);
            if (rc < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR) continue;
            return 255;
        }
    }
}
