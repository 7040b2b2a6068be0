namespace Dockerbuild.Testing;

/// <summary>How an external tool's run ended and what it printed.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr);
