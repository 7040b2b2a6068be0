using System.IO.Compression;
using System.Text;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Archive;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Tasks.Tests.EndToEnd;

/// <summary>
/// The package as a user meets it: packed into a private feed, referenced by fresh projects, driven by
/// <c>dotnet publish</c> and <c>dotnet build</c>. Each dotnet run costs seconds, so each test makes the
/// most of the few it starts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PackageTests(PackageFeed feed)
{
    [Fact]
    public void ThePackageHoldsTheTargetsAndTheTaskAssemblyWithOnlyWhatItLoads()
    {
        using var package = ZipFile.OpenRead(feed.Package);
        var files = package.Entries.Select(e => e.FullName)
            .Where(f => !f.StartsWith("_rels/", StringComparison.Ordinal) && !f.StartsWith("package/", StringComparison.Ordinal) && f != "[Content_Types].xml")
            .Order(StringComparer.Ordinal);

        // No lib/ (nothing compiles against it), no MSBuild assemblies (the host's), no buildTransitive/
        // (the image is the referencing project's only).
        Assert.Equal(
            [
                "Dockerbuild.nuspec", "README.md", "build/Dockerbuild.props", "build/Dockerbuild.targets",
                "tasks/net10.0/Dockerbuild.Dockerfile.dll", "tasks/net10.0/Dockerbuild.Engine.dll", "tasks/net10.0/Dockerbuild.Oci.dll",
                "tasks/net10.0/Dockerbuild.Publish.dll", "tasks/net10.0/Dockerbuild.Tasks.deps.json", "tasks/net10.0/Dockerbuild.Tasks.dll",
                "tasks/net10.0/Pidgin.dll", "tasks/net10.0/ZstdSharp.dll", "tasks/net10.0/linux-x64/Dockerbuild.Publish.Host",
            ],
            files);

        // The native host is a linux x86-64 executable (ELF, e_machine 62), not a managed assembly.
        using (var host = package.GetEntry("tasks/net10.0/linux-x64/Dockerbuild.Publish.Host")!.Open())
        {
            var header = new byte[20];
            host.ReadExactly(header);
            Assert.Equal("\u007fELF"u8.ToArray(), header[..4]);
            Assert.Equal(62, BitConverter.ToUInt16(header, 18));
        }

        using var nuspec = new StreamReader(package.GetEntry("Dockerbuild.nuspec")!.Open());
        var text = nuspec.ReadToEnd();
        Assert.Contains("<developmentDependency>true</developmentDependency>", text);
        Assert.DoesNotContain("<dependencies", text);
    }

    [Fact]
    public async Task PublishBuildsThePublishOutputIntoAnImagePushesItWithDockersCredentialsAndSkipsAnUnchangedProject()
    {
        Require.Executable("runc", "runc");
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuthMode.Htpasswd }, cancellationToken);
        var baseImage = await DotnetBaseImage.GetAsync();
        using var project = new TestProject(feed, "HelloApp", $"""
            FROM {DotnetBaseImage.LocalName}
            COPY --from=publish / /app/
            ARG GREETING
            RUN test -f /app/HelloApp.dll && echo "$GREETING" > /app/greeting.txt && echo run output stays at detailed verbosity
            WORKDIR /app
            CMD ["dotnet", "HelloApp.dll"]
            """, $"""
              <PropertyGroup>
                <ContainerRegistry>{registry.Host}</ContainerRegistry>
                <ContainerImageTags>1.0;latest</ContainerImageTags>
                <ContainerArchiveOutputPath>$(MSBuildProjectDirectory)/../archive/</ContainerArchiveOutputPath>
              </PropertyGroup>
              <ItemGroup>
                <DockerfileBuildArg Include="GREETING" Value="hello from msbuild" />
                <ContainerLabel Include="org.example.team" Value="tasks" />
              </ItemGroup>
              <Target Name="ShowImage" AfterTargets="DockerBuild">
                <Message Importance="high" Text="downstream: $(DockerbuildImageDigest) $(DockerbuildImageId) @(DockerbuildImage->'%(Identity)=%(ManifestDigest)', ' ')" />
              </Target>
            """);
        project.WriteProgram("""
            Console.WriteLine(File.ReadAllText("/app/greeting.txt").Trim());
            Console.WriteLine("running on " + System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
            """);
        await baseImage.ImportAsync(project.Store, $"dotnet {Path.Combine(AppContext.BaseDirectory, "dockerbuild.dll")}");
        // docker login's way of keeping credentials: base64 user:password under auths in config.json.
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}"));
        await File.WriteAllTextAsync(Path.Combine(project.DockerConfig, "config.json"), new System.Text.Json.Nodes.JsonObject { ["auths"] = new System.Text.Json.Nodes.JsonObject { [registry.Host] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth } } }.ToJsonString(), cancellationToken);
        var binlog = Path.Combine(project.Root, "publish.binlog");
        // Credentials in the environment (for another registry, so docker's config serves this push) stay out of logs too.
        var environmentSecret = "env-secret-" + Guid.NewGuid().ToString("N");
        project.Environment["DOCKERBUILD_REGISTRY"] = "registry.invalid:5000";
        project.Environment["DOCKERBUILD_REGISTRY_USER"] = "someone";
        project.Environment["DOCKERBUILD_REGISTRY_PASSWORD"] = environmentSecret;

        var (exitCode, output) = await project.PublishAsync($"-bl:{binlog}");

        Assert.True(exitCode == 0, output);
        Assert.Contains($"Step 1/6 FROM {DotnetBaseImage.LocalName}", output);
        Assert.Contains("Step 2/6 COPY --from=publish / /app/", output);
        Assert.Contains("Step 4/6 RUN test -f /app/HelloApp.dll", output);
        Assert.Contains("Step 4/6 DONE", output);
        Assert.DoesNotContain("run output stays at detailed verbosity", output.Replace("&& echo run output stays", "", StringComparison.Ordinal));
        Assert.Contains(": Pushed ", output);
        var downstream = Assert.Single(output.Split('\n'), l => l.Contains("downstream: sha256:", StringComparison.Ordinal)).Trim();
        var digest = Digest.Parse(downstream.Split(' ')[1]);
        var imageId = Digest.Parse(downstream.Split(' ')[2]);
        Assert.Equal($"downstream: {digest} {imageId} {registry.Host}/helloapp:1.0={digest} {registry.Host}/helloapp:latest={digest}", downstream);

        // The registry holds the image under both tags, pushed with the credentials from docker's config.
        var credentials = new StaticCredentialProvider(new RegistryCredential(registry.Username, registry.Password), registry.Host);
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = credentials });
        foreach (var tag in new[] { "1.0", "latest" })
        {
            var manifest = await client.GetManifestAsync(ImageReference.Parse($"{registry.Host}/helloapp:{tag}"), cancellationToken);
            Assert.Equal(digest, manifest.Digest);
        }

        // Pulled into an empty store and run with runc: the app runs on the base image's runtime, and the
        // RUN saw the publish output and the build arg.
        var fresh = new ImageStore(new BlobStore(Path.Combine(project.Root, "fresh-store")));
        var lines = new List<string>();
        var status = await new ImageRunner(fresh, new BuildEngineOptions { Registry = client })
            .RunAsync(new RunRequest { Image = $"{registry.Host}/helloapp:1.0" }, line => { lines.Add(line.Text); return ValueTask.CompletedTask; }, cancellationToken);
        Assert.Equal(0, status);
        Assert.Equal(["hello from msbuild", $"running on .NET {baseImage.DotnetVersion}"], lines);
        var pulled = await fresh.OpenImageAsync($"{registry.Host}/helloapp:1.0", cancellationToken: cancellationToken);
        Assert.Equal(imageId, pulled.Manifest.Value.Config.Digest);
        Assert.Equal("tasks", pulled.Config.Value.Config.Labels!["org.example.team"]);

        // ContainerArchiveOutputPath: a gzip docker-archive that loads back with both names and the same
        // config (docker save keeps the config and layers; the manifest is docker load's to rewrite).
        var archive = Path.Combine(project.Root, "archive", "helloapp.tar.gz");
        await using (var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
        {
            var archiveStore = new ImageStore(new BlobStore(Path.Combine(project.Root, "archive-store")));
            var loaded = await DockerArchive.LoadAsync(gzip, archiveStore.Blobs, cancellationToken);
            var image = Assert.Single(loaded);
            await archiveStore.AddAsync(image.Manifest.Digest, image.Names, cancellationToken);
            var fromArchive = await archiveStore.OpenImageAsync(image.Manifest.Digest.ToString(), cancellationToken: cancellationToken);
            Assert.Equal(imageId, fromArchive.Manifest.Value.Config.Digest);
            Assert.Equal([$"{registry.Host}/helloapp:1.0", $"{registry.Host}/helloapp:latest"], image.Names.Select(n => n.ToString()).Order());
        }

        // The binary log holds the build (the registry and the task are there) but never the secret.
        var logged = await BinlogTextAsync(binlog);
        Assert.Contains("Dockerbuild: building in the native host ", logged);
        Assert.Contains(registry.Host, logged);
        Assert.Contains("DockerfileBuild", logged);
        Assert.DoesNotContain(registry.Password, logged);
        Assert.DoesNotContain(auth, logged);
        Assert.DoesNotContain(environmentSecret, logged);
        Assert.DoesNotContain(registry.Password, output);
        Assert.DoesNotContain(environmentSecret, output);

        // Nothing changed: the image build is skipped entirely, its outputs still set.
        var (again, againOutput) = await project.PublishAsync();
        Assert.True(again == 0, againOutput);
        Assert.Contains($"Image up to date (the Dockerfile, its contexts, base images and settings have not changed): {digest}", againOutput);
        Assert.DoesNotContain("Step 1/6", againOutput);
        Assert.Contains($"downstream: {digest} ", againOutput);
    }

    [Fact]
    public async Task BuildReportsCheckFindingsAtDockerfileLineAndColumnAndErrorsUnderCheckErrorTrue()
    {
        using var project = new TestProject(feed, "CheckedApp", "FROM scratch AS base\nfrom base\nCMD echo hi\n");

        var (exitCode, output) = await project.BuildAsync();

        Assert.True(exitCode == 0, output);
        // BuildKit's rule names and messages (frontend/dockerfile/linter/ruleset.go).
        Assert.Contains($"{project.Dockerfile}(2,1): warning ConsistentInstructionCasing: Command 'from' should match the case of the command majority (uppercase)", output);
        Assert.Contains($"{project.Dockerfile}(3,1): warning JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals", output);

        await File.WriteAllTextAsync(project.Dockerfile, "# check=error=true\nFROM scratch\nCMD echo hi\n", TestContext.Current.CancellationToken);
        var (failed, failedOutput) = await project.BuildAsync();
        Assert.NotEqual(0, failed);
        Assert.Contains($"{project.Dockerfile}(3,1): error JSONArgsRecommended: JSON arguments recommended for CMD", failedOutput);

        await File.WriteAllTextAsync(project.Dockerfile, "FROM scratch\nFROBNICATE now\n", TestContext.Current.CancellationToken);
        var (invalid, invalidOutput) = await project.BuildAsync();
        Assert.NotEqual(0, invalid);
        Assert.Contains($"{project.Dockerfile}(2,1): error DKB1002: unknown instruction: FROBNICATE", invalidOutput);
    }

    [Fact]
    public async Task AFailingRunIsErrorDkb1101AtItsLineWithItsLastOutputAndEnableDockerbuildFalseSkipsTheImage()
    {
        Require.Executable("runc", "runc");
        using var project = new TestProject(feed, "FailingApp", BusyboxDockerfile.Base + "RUN echo first line && \\\n    echo about to fail >&2 && exit 3\n");
        project.AddBusybox();

        var (exitCode, output) = await project.BuildAsync("-t:DockerBuild", "-v:d");

        Assert.NotEqual(0, exitCode);
        // The standalone target published first, then built up to the RUN on line 4, whose output
        // shows at detailed verbosity.
        Assert.True(File.Exists(Path.Combine(project.ProjectDirectory, "bin", "Debug", "net10.0", "publish", "FailingApp.dll")), output);
        Assert.Contains("Step 4/4 RUN echo first line", output);
        Assert.Contains("Step 4/4 | first line", output);
        Assert.Contains($"{project.Dockerfile}(4,1): error DKB1101: process \"/bin/sh -c echo first line &&     echo about to fail >&2 && exit 3\" did not complete successfully: exit code: 3", output);
        Assert.Contains("> about to fail", output);

        var (disabled, disabledOutput) = await project.PublishAsync("-p:EnableDockerbuild=false");
        Assert.True(disabled == 0, disabledOutput);
        Assert.DoesNotContain("Step 1/4", disabledOutput);
    }

    [Fact]
    public async Task TheNativeHostAndTheMsBuildProcessBuildTheSameImageAndLogTheSameSteps()
    {
        Require.Executable("runc", "runc");
        // SOURCE_DATE_EPOCH makes the image byte-for-byte reproducible, so the two ways must agree on its digest.
        using var project = new TestProject(feed, "TwinApp", BusyboxDockerfile.Base + """
            ARG SOURCE_DATE_EPOCH
            COPY --from=publish / /app/
            RUN ls /app > /listing.txt && echo listed
            """, """
              <ItemGroup>
                <DockerfileBuildArg Include="SOURCE_DATE_EPOCH" Value="1700000000" />
              </ItemGroup>
              <Target Name="ShowImage" AfterTargets="DockerBuild">
                <Message Importance="high" Text="image: $(DockerbuildImageDigest)" />
              </Target>
            """);
        project.AddBusybox();

        var (hostExit, hostOutput) = await project.PublishAsync("-v:d");
        // In the MSBuild process, into another store (the first image is not there to be reused).
        var (inProcessExit, inProcessOutput) = await project.PublishAsync("-v:d", "-p:DockerbuildNativeHost=false", $"-p:DockerbuildRoot={Path.Combine(project.Root, "other-store")}");

        Assert.True(hostExit == 0, hostOutput);
        Assert.True(inProcessExit == 0, inProcessOutput);
        Assert.Contains("Dockerbuild: building in the native host ", hostOutput);
        Assert.Contains("Dockerbuild: building in the MSBuild process", inProcessOutput);
        Assert.Equal(ImageLine(hostOutput), ImageLine(inProcessOutput));
        Assert.Equal(StepLines(hostOutput), StepLines(inProcessOutput));
        // The RUN's output is among them (detailed verbosity), sent live by the host.
        Assert.Contains(StepLines(hostOutput), l => l.EndsWith(" | listed", StringComparison.Ordinal));

        static string ImageLine(string output) => Assert.Single(output.Split('\n'), l => l.Contains("image: sha256:", StringComparison.Ordinal)).Trim();

        // Step lines and RUN output, without the times (DONE 0.1s).
        static List<string> StepLines(string output) =>
            [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Step ", StringComparison.Ordinal)).Select(l => System.Text.RegularExpressions.Regex.Replace(l, @" DONE [0-9.]+s$", " DONE"))];
    }

    [Fact]
    public async Task CtrlCCancelsTheBuildAndKillsTheRunningContainer()
    {
        Require.Executable("runc", "runc");
        var marker = "sleeping-" + Guid.NewGuid().ToString("N");
        using var project = new TestProject(feed, "CancelledApp", BusyboxDockerfile.Base + $"RUN echo {marker} && sleep 1000\n");
        project.AddBusybox();
        var signalled = 0;

        // SIGINT is what Ctrl+C sends; MSBuild turns it into ICancelableTask.Cancel.
        var (exitCode, output) = await project.DotnetAsync(["build", "-t:DockerBuild", "-nodeReuse:false", "-tl:off", "-v:d"], (line, process) =>
        {
            if (line.Contains("| " + marker, StringComparison.Ordinal) && Interlocked.Exchange(ref signalled, 1) == 0)
            {
                using var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                kill.WaitForExit();
            }
        });

        Assert.Equal(1, signalled);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("error DKB1901: the image build was cancelled", output);
        // The container is gone with its process, and its snapshot with it.
        Assert.DoesNotContain(Directory.EnumerateDirectories("/proc"), pid => File.Exists(Path.Combine(pid, "cmdline")) && ReadOrEmpty(Path.Combine(pid, "cmdline")).Contains(marker, StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(project.Store, "work", "snapshots")));
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A binary log's records as text: it is a gzip stream whose strings are UTF-8.</summary>
    private static async Task<string> BinlogTextAsync(string path)
    {
        await using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        await gzip.CopyToAsync(bytes, TestContext.Current.CancellationToken);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
