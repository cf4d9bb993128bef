using System.Text.Json;

using OciRuntime.Spec;
using Runcs.Cli;
using Runcs.Container;
using Runcs.Logging;
using Runcs.Native;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Runcs;

public static class Program
{
    public const string Version = "0.1.0";
    public const string Commit = "runcs";

    public static int Main(string[] argv)
    {
        // The C constructor already ran; in a container process it left us this variable.
        var boot = Environment.GetEnvironmentVariable("_RUNCS_BOOTSTRAP");
        if (!string.IsNullOrEmpty(boot) && int.TryParse(boot, out int syncFd))
            return Init.InitEntry.Run(syncFd);
        // Keep the C stage (and its constructor) linked in.
        if (Sys.BootstrapLinked() != 1) return 255;

        ParsedArgs args;
        try
        {
            args = CommandLineParser.Parse(argv);
        }
        catch (UsageException e)
        {
            RuncLog.Configure(null, "text", false);
            Console.Error.WriteLine(e.Message);
            return e.ExitCode;
        }
        RuncLog.Configure(args.Global.Log, args.Global.LogFormat, args.Global.Debug);
        try
        {
            if (args.VersionRequested && args.Verb == null) { PrintVersion(); return 0; }
            if (args.HelpRequested || args.Verb == null || args.Verb == "help")
            {
                var topic = args.Verb == "help" ? args.Positionals.FirstOrDefault() : args.Verb;
                StdOut.Write(topic == null || !VerbTable.IsKnownVerb(topic) ? HelpText.Main() : HelpText.ForVerb(topic));
                return 0;
            }
            VerbTable.CheckArity(args);
            return Verbs.Dispatch(args);
        }
        catch (UsageException e)
        {
            RuncLog.Error(e.Message);
            return e.ExitCode;
        }
        catch (RuncsException e)
        {
            RuncLog.Error(e.Message);
            return 1;
        }
        catch (SysException e)
        {
            RuncLog.Error(e.Message);
            return 1;
        }
        catch (SpecException e)
        {
            RuncLog.Error(e.Message);
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RuncLog.Error(SysException.Describe(e));
            return 1;
        }
        finally
        {
            Bootstrap.Launcher.ReleaseEarly();
            Cgroups.CgroupMounts.Release();
        }
    }

    public static void PrintVersion()
    {
        StdOut.Write($"runcs version {Version}\ncommit: {Commit}\nspec: {SpecVersion.Default}\n");
    }
}
