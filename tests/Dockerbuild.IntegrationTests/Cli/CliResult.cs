namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>What one run of the executable printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] Lines => Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts success, showing both streams when it failed.</summary>
    public CliResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}");
        return this;
    }
}
