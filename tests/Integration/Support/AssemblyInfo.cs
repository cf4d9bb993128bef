// The integration tests run real containers: Linux only, as root.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
