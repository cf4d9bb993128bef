using System.Text;

namespace Runcs.Cli;

/// <summary>
/// Help texts rendered like urfave/cli v1 (AppHelpTemplate / CommandHelpTemplate through Go's
/// text/tabwriter with minwidth 1, padding 2), with "runcs" as the program name.
/// </summary>
public static class HelpText
{
    private const string AppUsage =
        "Open Container Initiative runtime\n" +
        "\n" +
        VerbTable.ProgramName + " is a command line client for running applications packaged according to\n" +
        "the Open Container Initiative (OCI) format and is a compliant implementation of the\n" +
        "Open Container Initiative specification.\n" +
        "\n" +
        VerbTable.ProgramName + " integrates well with existing process supervisors to provide a production\n" +
        "container runtime environment for applications. It can be used with your\n" +
        "existing process monitoring tools and the container will be spawned as a\n" +
        "direct child of the process supervisor.\n" +
        "\n" +
        "Containers are configured using bundles. A bundle for a container is a directory\n" +
        "that includes a specification file named \"config.json\" and a root filesystem.\n" +
        "The root filesystem contains the contents of the container.\n" +
        "\n" +
        "To start a new instance of a container:\n" +
        "\n" +
        "    # " + VerbTable.ProgramName + " run [ -b bundle ] <container-id>\n" +
        "\n" +
        "Where \"<container-id>\" is your name for the instance of the container that you\n" +
        "are starting. The name you provide for the container instance must be unique on\n" +
        "your host. Providing the bundle directory using \"-b\" is optional. The default\n" +
        "value for \"bundle\" is the current directory.";

    /// <summary>The main help (runcs --help), without a VERSION section.</summary>
    public static string Main() => Main(null);

    /// <summary>The main help; <paramref name="version"/> (may be multi-line) fills the VERSION section.</summary>
    public static string Main(string? version)
    {
        var sb = new StringBuilder();
        sb.Append("NAME:\n   ").Append(VerbTable.ProgramName).Append(" - ").Append(AppUsage).Append("\n\n");
        sb.Append("USAGE:\n   ").Append(VerbTable.ProgramName).Append(" [global options] command [command options] [arguments...]");
        if (!string.IsNullOrEmpty(version))
        {
            sb.Append("\n\nVERSION:\n   ").Append(version);
        }

        sb.Append("\n\nCOMMANDS:");
        foreach (var v in VerbTable.Verbs)
        {
            if (v.Hidden)
            {
                continue;
            }

            sb.Append("\n   ").Append(ReferenceEquals(v, VerbTable.Help) ? "help, h" : v.Name).Append('\t').Append(v.Usage);
        }

        sb.Append("\n\nGLOBAL OPTIONS:\n   ");
        bool first = true;
        foreach (var f in VerbTable.GlobalFlags)
        {
            if (f.Hidden)
            {
                continue;
            }

            if (!first)
            {
                sb.Append("\n   ");
            }

            first = false;
            sb.Append(FlagLine(f));
        }

        sb.Append('\n');
        return TabWriter.Format(sb.ToString());
    }

    /// <summary>Help for one verb (runcs VERB --help / runcs help VERB). "h" means help.</summary>
    public static string ForVerb(string verb)
    {
        ArgumentNullException.ThrowIfNull(verb);
        var v = VerbTable.Find(verb) ?? throw new ArgumentException("unknown verb '" + verb + "'", nameof(verb));
        string helpName = VerbTable.ProgramName + " " + v.Name;
        bool anyFlags = false;
        foreach (var f in v.Flags)
        {
            anyFlags |= !f.Hidden;
        }

        var sb = new StringBuilder();
        sb.Append("NAME:\n   ").Append(helpName).Append(" - ").Append(v.Usage).Append("\n\n");
        sb.Append("USAGE:\n   ").Append(helpName);
        if (anyFlags)
        {
            sb.Append(" [command options]");
        }

        sb.Append(' ').Append(v.ArgsUsage.Length > 0 ? v.ArgsUsage : "[arguments...]");
        if (v.Description.Length > 0)
        {
            sb.Append("\n\nDESCRIPTION:\n   ").Append(v.Description);
        }

        if (anyFlags)
        {
            sb.Append("\n\nOPTIONS:\n   ");
            foreach (var f in v.Flags)
            {
                if (!f.Hidden)
                {
                    sb.Append(FlagLine(f)).Append("\n   ");
                }
            }
        }

        sb.Append('\n');
        return TabWriter.Format(sb.ToString());
    }

    /// <summary>What runc --version prints: "runcs version VERSION\n" (VERSION may be multi-line).</summary>
    public static string Version(string version) => VerbTable.ProgramName + " version " + version + "\n";

    // urfave stringifyFlag: "--name value, -n value\tusage (default: X)".
    internal static string FlagLine(FlagSpec f)
    {
        var sb = new StringBuilder();
        string placeholder = f.TakesValue ? "value" : string.Empty;
        for (int i = 0; i < f.Names.Count; i++)
        {
            string n = f.Names[i];
            sb.Append(n.Length == 1 ? "-" : "--").Append(n);
            if (placeholder.Length > 0)
            {
                sb.Append(' ').Append(placeholder);
            }

            if (i < f.Names.Count - 1)
            {
                sb.Append(", ");
            }
        }

        string def = string.Empty;
        switch (f.Kind)
        {
            case FlagKind.String:
                if (!string.IsNullOrEmpty(f.Default))
                {
                    def = " (default: " + GoFlag.Quote(f.Default) + ")";
                }

                break;
            case FlagKind.Int:
            case FlagKind.Duration:
                def = " (default: " + (f.Default ?? "0") + ")";
                break;
        }

        sb.Append('\t').Append((f.Usage + def).Trim());
        return sb.ToString();
    }

    /// <summary>Go text/tabwriter (minwidth 1, tabwidth 8, padding 2, padchar ' ', flags 0).</summary>
    internal static class TabWriter
    {
        private const int MinWidth = 1;
        private const int Padding = 2;

        public static string Format(string text)
        {
            var rawLines = text.Split('\n');
            var lines = new string[rawLines.Length][];
            for (int i = 0; i < rawLines.Length; i++)
            {
                lines[i] = rawLines[i].Split('\t');
            }

            var sb = new StringBuilder(text.Length + 64);
            var widths = new List<int>();
            FormatBlock(lines, widths, 0, lines.Length, sb);
            return sb.ToString();
        }

        private static void FormatBlock(string[][] lines, List<int> widths, int line0, int line1, StringBuilder sb)
        {
            int column = widths.Count;
            for (int @this = line0; @this < line1; @this++)
            {
                var line = lines[@this];
                if (column >= line.Length - 1)
                {
                    continue;
                }

                WriteLines(lines, widths, line0, @this, sb);
                line0 = @this;

                int width = MinWidth;
                for (; @this < line1; @this++)
                {
                    line = lines[@this];
                    if (column >= line.Length - 1)
                    {
                        break;
                    }

                    int w = line[column].Length + Padding;
                    if (w > width)
                    {
                        width = w;
                    }
                }

                widths.Add(width);
                FormatBlock(lines, widths, line0, @this, sb);
                widths.RemoveAt(widths.Count - 1);
                line0 = @this;
            }

            WriteLines(lines, widths, line0, line1, sb);
        }

        private static void WriteLines(string[][] lines, List<int> widths, int line0, int line1, StringBuilder sb)
        {
            for (int i = line0; i < line1; i++)
            {
                var line = lines[i];
                for (int j = 0; j < line.Length; j++)
                {
                    sb.Append(line[j]);
                    if (j < widths.Count)
                    {
                        sb.Append(' ', widths[j] - line[j].Length);
                    }
                }

                if (i + 1 < lines.Length)
                {
                    sb.Append('\n');
                }
            }
        }
    }
}
