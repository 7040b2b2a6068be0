using System.Reflection;
using Dockerbuild.Engine;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Tasks.Tests.EndToEnd;

/// <summary>
/// The repository's samples/ as the README's main command (eng/sample.sh) uses them: published with
/// the packed package onto the local .NET base image, and run. A copy is published, so the repository's
/// samples get no bin/ or obj/.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SamplesTests(PackageFeed feed)
{
    [Fact]
    public async Task BothSamplesPublishIntoImagesThatRunOnTheLocalBaseImage()
    {
        Require.Executable("runc", "runc");
        var cancellationToken = TestContext.Current.CancellationToken;
        var baseImage = await DotnetBaseImage.GetAsync();
        using var work = new TempDirectory("dockerbuild-samples-");
        var samples = work.Combine("samples");
        CopySamples(Path.Combine(RepositoryRoot, "samples"), samples);
        // The samples' own nuget.config names the feed eng/sample.sh packs into; this one names the test's.
        feed.WriteNuGetConfig(samples);
        var storeRoot = work.Combine("store");
        await baseImage.ImportAsync(storeRoot, $"dotnet {Path.Combine(AppContext.BaseDirectory, "dockerbuild.dll")}");
        var environment = DotnetProcess.Environment(feed.PackagesCache);
        environment["DOCKERBUILD_ROOT"] = storeRoot;

        foreach (var sample in new[] { "ConsoleApp", "WebApi" })
        {
            var (exitCode, output) = await DotnetProcess.RunAsync(Path.Combine(samples, sample), environment,
                "publish", "-c", "Release", "-nodeReuse:false", "-tl:off", "-v:n", "-p:NuGetAudit=false",
                $"-p:DockerbuildVersion={feed.Version}", $"-p:BaseImage={DotnetBaseImage.LocalName}");
            Assert.True(exitCode == 0, output);
            Assert.Matches($@"Step 1/\d+ FROM {DotnetBaseImage.LocalName}", output);
            // The RUN really ran (a fresh store has no cache for it), then the publish output was copied.
            Assert.Matches(@"Step 3/\d+ RUN mkdir -p", output);
            Assert.Matches(@"Step 3/\d+ DONE", output);
            Assert.Matches(@"Step 5/\d+ COPY --from=publish / /app/", output);
        }

        var store = new ImageStore(new BlobStore(storeRoot));
        var runner = new ImageRunner(store, new BuildEngineOptions());

        // The console sample: its greeting, the base image's runtime and OS, the user the Dockerfile
        // switched to, and a write into the folder its RUN made for that user.
        var lines = new List<string>();
        var status = await runner.RunAsync(new RunRequest { Image = "consoleapp:latest", Command = ["Tester"] },
            line => { lines.Add(line.Text); return ValueTask.CompletedTask; }, cancellationToken);
        Assert.True(status == 0, string.Join('\n', lines));
        Assert.Equal(
            ["Hello, Tester!", $".NET {baseImage.DotnetVersion} on Debian GNU/Linux 12 (bookworm) (X64)",
             "Running as user app, in a container: True", "Wrote /var/lib/consoleapp/last-run.txt"],
            lines);

        // The web sample, on the host's network at a free port: it answers and counts visits in its data folder.
        var port = LoopbackPort.Next();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var webLog = new List<string>();
        var web = runner.RunAsync(new RunRequest { Image = "webapi:latest", Env = [$"ASPNETCORE_HTTP_PORTS={port}"] },
            line => { lock (webLog) { webLog.Add(line.Text); } return ValueTask.CompletedTask; }, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            Assert.Equal("Hello from a Dockerbuild image!", await WaitForAsync(http, web, webLog, cancellationToken));
            Assert.Equal("""{"message":"Hello, Tester!","visits":1,"user":"app"}""", await http.GetStringAsync("hello/Tester", cancellationToken));
            Assert.Equal("""{"message":"Hello, Tester!","visits":2,"user":"app"}""", await http.GetStringAsync("hello/Tester", cancellationToken));
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await web;
            }
            catch (OperationCanceledException)
            {
                // Stopping the container is how this test ends it.
            }
        }
    }

    private static async Task<string> WaitForAsync(HttpClient http, Task<int> web, List<string> log, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync("", cancellationToken);
            }
            catch (HttpRequestException) when (!web.IsCompleted && attempt < 300)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                lock (log)
                {
                    Assert.Fail($"the web sample did not answer ({e.Message}); its output:\n{string.Join('\n', log)}");
                }
            }
        }
    }

    private static void CopySamples(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    private static string RepositoryRoot =>
        typeof(SamplesTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DockerbuildRepositoryRoot").Value!;
}
