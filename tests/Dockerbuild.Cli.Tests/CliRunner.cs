namespace Dockerbuild.Cli.Tests;

/// <summary>Runs <c>dockerbuild</c> in-process with the real command registry, capturing both streams.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLineApp.RunAsync(
            Program.Commands, args, output, error, TestContext.Current.CancellationToken);
        return (code, output.ToString(), error.ToString());
    }
}
