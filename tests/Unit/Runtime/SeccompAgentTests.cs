using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using OciRuntime.Spec;
using Runcs.Bootstrap;
using Runcs.Native;
using Runcs.Seccomp;

namespace OciRuntime.Tests.Unit.Runtime;

/// <summary>
/// The message a seccomp agent receives (runtime-spec ContainerProcessState, as runc sends it),
/// and the fd handover on the sync channel and to the agent's socket. No root needed.
/// </summary>
[SupportedOSPlatform("linux")]
public class SeccompAgentTests
{
    [Fact]
    public void StateMessage_FieldsAndOrderAsRunc()
    {
        var json = SeccompAgent.StateMessage("c1", "creating", 42, 42, "/b", new() { ["a"] = "b" }, "meta-1");
        // runc 1.1.5 sends (its spec version aside):
        // {"ociVersion":"1.0.2-dev","fds":["seccompFd"],"pid":5022,"metadata":"meta-1","state":{"ociVersion":"1.0.2-dev","id":"r1","status":"creating","pid":5022,"bundle":"/tmp/b","annotations":{"a":"b"}}}
        Assert.Equal(
            "{\"ociVersion\":\"" + SpecVersion.Default + "\",\"fds\":[\"seccompFd\"],\"pid\":42,\"metadata\":\"meta-1\"," +
            "\"state\":{\"ociVersion\":\"" + SpecVersion.Default + "\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,\"bundle\":\"/b\",\"annotations\":{\"a\":\"b\"}}}",
            json);
    }

    [Fact]
    public void StateMessage_ExecdProcess_PidIsTheProcess_StatePidIsInit()
    {
        var m = JsonNode.Parse(SeccompAgent.StateMessage("c1", "running", 10, 77, "/b", null, "m"))!;
        Assert.Equal(77, m["pid"]!.GetValue<int>());
        Assert.Equal(10, m["state"]!["pid"]!.GetValue<int>());
        Assert.Equal("running", m["state"]!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void StateMessage_EmptyMetadataAndAnnotationsAreOmitted_AsGoOmitempty(string? metadata)
    {
        var json = SeccompAgent.StateMessage("c1", "creating", 5, 5, "/b", new Dictionary<string, string>(), metadata);
        Assert.DoesNotContain("metadata", json);
        Assert.DoesNotContain("annotations", json);
        Assert.Contains("\"fds\":[\"seccompFd\"]", json);
    }

    [Fact]
    public void StateMessage_ParsesBackAsContainerProcessState()
    {
        var json = SeccompAgent.StateMessage("id-x", "creating", 3, 3, "/bundle dir", new() { ["k"] = "v\"q" }, "x=\"y\"\n");
        var cps = SpecJson.ParseContainerProcessState(json);
        Assert.Equal(new[] { ContainerProcessState.SeccompFdName }, cps.Fds);
        Assert.Equal("x=\"y\"\n", cps.Metadata);
        Assert.Equal("id-x", cps.State!.Id);
        Assert.Equal("/bundle dir", cps.State.Bundle);
        Assert.Equal("v\"q", cps.State.Annotations!["k"]);
    }

    [Fact]
    public void SyncChannel_FdTravelsWithItsMessage_AndPlainMessagesCarryNone()
    {
        var (parent, childFd) = SyncChannel.CreatePair();
        using var child = new SyncChannel(childFd);
        using (parent)
        {
            var (r, w) = Pipe();
            try
            {
                child.SendFd("seccomp"u8, w);
                child.Send("ready");
                Assert.Equal("seccomp", parent.Receive(out int got));
                Assert.True(got >= 0 && got != w);
                Assert.Equal(Sys.FD_CLOEXEC, Sys.Fcntl(got, Sys.F_GETFD, 0) & Sys.FD_CLOEXEC);
                // The received fd is the pipe's write end: what goes in comes out of r.
                WriteByte(got, (byte)'z');
                Assert.Equal((byte)'z', ReadByte(r));
                Sys.Close(got);
                Assert.Equal("ready", parent.Receive(out int none));
                Assert.Equal(-1, none);
            }
            finally
            {
                Sys.Close(r);
                Sys.Close(w);
            }
        }
    }

    [Fact]
    public void Send_OneMessageWithOneFd_ThenTheConnectionCloses()
    {
        var path = Path.Combine(Path.GetTempPath(), "runcs-ut-agent-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var (r, w) = Pipe();
        try
        {
            // No accept before the send: the runtime must not wait for the agent.
            SeccompAgent.Send(path, "{\"hello\":1}", w);
            using var conn = listener.Accept();
            var (payload, fds) = RecvWithFds((int)conn.Handle);
            Assert.Equal("{\"hello\":1}", payload);
            Assert.Single(fds);
            WriteByte(fds[0], (byte)'q');
            Assert.Equal((byte)'q', ReadByte(r));
            Sys.Close(fds[0]);
            Assert.Equal(0, conn.Receive(new byte[8])); // end of stream: one message only
        }
        finally
        {
            Sys.Close(r);
            Sys.Close(w);
            File.Delete(path);
        }
    }

    [Fact]
    public void Send_NoAgent_ErrorNamesThePathAndErrno()
    {
        var (r, w) = Pipe();
        try
        {
            var e = Assert.Throws<SysException>(() => SeccompAgent.Send("/nonexistent/runcs-agent.sock", "{}", w));
            Assert.Equal("connect to the seccomp agent at /nonexistent/runcs-agent.sock (linux.seccomp.listenerPath): ENOENT (no such file or directory)", e.Message);
            var tooLong = "/tmp/" + new string('x', 120);
            var e2 = Assert.Throws<SysException>(() => SeccompAgent.Send(tooLong, "{}", w));
            Assert.Equal(Errno.ENAMETOOLONG, e2.Code);
            Assert.Contains(tooLong, e2.Message);
        }
        finally
        {
            Sys.Close(r);
            Sys.Close(w);
        }
    }

    [Fact]
    public void Forward_WithoutListenerPath_ClosesTheFd_AndSaysNothingToTheProcess()
    {
        var (parent, childFd) = SyncChannel.CreatePair();
        using var child = new SyncChannel(childFd);
        using (parent)
        {
            var (r, w) = Pipe();
            try
            {
                int dup = Sys.Fcntl(w, Sys.F_DUPFD_CLOEXEC, 0);
                var e = Assert.Throws<RuncsException>(() => SeccompAgent.Forward(parent, dup, new LinuxSeccomp(), () => "{}"));
                Assert.Contains("listenerPath", e.Message);
                Assert.True(Sys.Fcntl(dup, Sys.F_GETFD, 0) < 0, "the forwarded fd must be closed");
                parent.Dispose();
                Assert.Null(child.Receive()); // no "ok": the process never goes on
            }
            finally
            {
                Sys.Close(r);
                Sys.Close(w);
            }
        }
    }

    private static unsafe (int R, int W) Pipe()
    {
        int* fds = stackalloc int[2];
        Assert.Equal(0, PipeNative(fds, Sys.O_CLOEXEC));
        return (fds[0], fds[1]);
    }

    private static unsafe void WriteByte(int fd, byte b) => Assert.Equal(1, (int)Sys.Write(fd, &b, 1));

    private static unsafe byte ReadByte(int fd)
    {
        byte b;
        Assert.Equal(1, (int)Sys.Read(fd, &b, 1));
        return b;
    }

    private static unsafe (string Payload, List<int> Fds) RecvWithFds(int sock)
    {
        byte* data = stackalloc byte[4096];
        ulong* control = stackalloc ulong[8];
        for (int i = 0; i < 8; i++) control[i] = 0;
        Sys.IoVec iov = new() { Base = data, Len = 4096 };
        Sys.MsgHdr msg = new() { Iov = &iov, IovLen = 1, Control = control, ControlLen = 64 };
        nint n = Sys.Recvmsg(sock, &msg, Sys.MSG_CMSG_CLOEXEC);
        Assert.True(n >= 0, "recvmsg failed");
        var fds = new List<int>();
        byte* c = (byte*)control;
        ulong len = *(ulong*)c;
        if (msg.ControlLen >= 16 && *(int*)(c + 8) == Sys.SOL_SOCKET && *(int*)(c + 12) == Sys.SCM_RIGHTS)
            for (ulong off = 16; off + 4 <= len; off += 4) fds.Add(*(int*)(c + off));
        return (System.Text.Encoding.UTF8.GetString(data, (int)n), fds);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static extern unsafe int PipeNative(int* fds, int flags);
}
