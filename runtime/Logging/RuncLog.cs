using Microsoft.Extensions.Logging;

namespace Runcs.Logging;

/// <summary>
/// runc's log shapes through Microsoft.Extensions.Logging. With --log FILE every
/// entry is appended there, one line each: JSON {"level","msg","time"} with
/// --log-format json (what containerd and podman parse), else logrus text
/// (time="..." level=error msg="..."). Errors also go to stderr as the bare
/// message when a log file is set (podman falls back to stderr), or as a logrus
/// text line when it is not, as runc does.
/// </summary>
public static class RuncLog
{
    private static string? file;
    private static bool json;
    private static bool debug;
    private static ILoggerFactory? factory;
    private static ILogger? logger;

    public static void Configure(string? logFile, string format, bool debugEnabled)
    {
        file = string.IsNullOrEmpty(logFile) ? null : logFile;
        json = format == "json";
        debug = debugEnabled;
    }

    private static ILogger Logger
    {
        get
        {
            if (logger != null) return logger;
            factory = new LoggerFactory(new ILoggerProvider[] { new RuncLineProvider() }, new LoggerFilterOptions { MinLevel = LogLevel.Trace });
            logger = factory.CreateLogger("runcs");
            return logger;
        }
    }

    public static void Error(string message)
    {
        Logger.LogError("{Message}", message);
        if (file != null) Console.Error.WriteLine(message);
    }

    public static void Warn(string message) => Logger.LogWarning("{Message}", message);

    public static bool DebugEnabled => debug;

    private static readonly long StartTicks = System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>A --debug line with the milliseconds since this command started (phase timing).</summary>
    public static void Debug(string message)
    {
        if (!debug) return;
        var ms = System.Diagnostics.Stopwatch.GetElapsedTime(StartTicks).TotalMilliseconds;
        Logger.LogDebug("{Message}", $"[{ms:F2} ms] {message}");
    }

    /// <summary>One entry in runc's shape.</summary>
    public static string Format(LogLevel level, string message, DateTime utc, bool asJson)
    {
        string lvl = level switch
        {
            LogLevel.Trace or LogLevel.Debug => "debug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warning",
            LogLevel.Error => "error",
            _ => "fatal",
        };
        string time = utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (asJson)
            return "{\"level\":\"" + lvl + "\",\"msg\":" + JsonString(message) + ",\"time\":\"" + time + "\"}";
        return $"time=\"{time}\" level={lvl} msg={JsonString(message)}";
    }

    private static string JsonString(string s)
    {
        var sb = new System.Text.StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4"));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private sealed class RuncLineProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new RuncLineLogger();
        public void Dispose() { }
    }

    private sealed class RuncLineLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && (debug || logLevel >= LogLevel.Information);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = Format(logLevel, formatter(state, exception), DateTime.UtcNow, file != null && json);
            if (file != null)
            {
                try { File.AppendAllText(file, line + "\n"); }
                catch (Exception) { Console.Error.WriteLine(line); }
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
    }
}
