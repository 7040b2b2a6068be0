using Dockerbuild.Oci.Storage;
using Dockerbuild.Publish.Diagnostics;
using Dockerbuild.Testing;
using Microsoft.Build.Framework;
using TaskItem = Microsoft.Build.Utilities.TaskItem;

namespace Dockerbuild.Tasks.Tests.Unit;

/// <summary>
/// The DockerfileBuild task run in this process on Dockerfiles without RUN (no runtime needed): the
/// publish context, the outputs, the stamp and the settings it refuses.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerfileBuildTests
{
    [Fact]
    public async Task ThePublishOutputIsTheNamedContextPublishAndAnUnchangedSecondRunReusesTheImage()
    {
        using var temp = new TempDirectory();
        var (project, publish) = Layout(temp, "FROM scratch\nCOPY --from=publish / /app/\n");
        File.WriteAllText(Path.Combine(publish, "App.dll"), "app");

        var first = NewTask(temp, project, publish, out var engine);
        Assert.True(first.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        var store = new ImageStore(new BlobStore(temp.Combine("store")));
        var image = await store.OpenImageAsync("app:1.0", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(first.ImageDigest, image.Record.ManifestDigest.ToString());
        Assert.Equal(first.ImageId, image.Manifest.Value.Config.Digest.ToString());
        var item = Assert.Single(first.Images);
        Assert.Equal("docker.io/library/app:1.0", item.ItemSpec);
        Assert.Equal(("app", "1.0", first.ImageDigest, first.ImageId), (item.GetMetadata("Repository"), item.GetMetadata("Tag"), item.GetMetadata("ManifestDigest"), item.GetMetadata("ImageId")));
        Assert.Contains(engine.Messages, m => m.Message == "Step 2/2 COPY --from=publish / /app/");

        var second = NewTask(temp, project, publish, out var again);
        Assert.True(second.Execute());
        Assert.Equal((first.ImageDigest, first.ImageId), (second.ImageDigest, second.ImageId));
        Assert.Contains(again.Messages, m => m.Message!.StartsWith("Image up to date", StringComparison.Ordinal));
        Assert.DoesNotContain(again.Messages, m => m.Message!.StartsWith("Step ", StringComparison.Ordinal));
        Assert.Contains(again.Messages, m => m.Importance == MessageImportance.High && m.Message == $"App -> app:1.0@{first.ImageDigest}");

        // An image removed from the local store since is built again.
        await store.RemoveAsync("app:1.0", force: true, TestContext.Current.CancellationToken);
        var rebuilt = NewTask(temp, project, publish, out var rebuiltEngine);
        Assert.True(rebuilt.Execute());
        Assert.Contains(rebuiltEngine.Messages, m => m.Message == "Step 2/2 COPY --from=publish / /app/");
        Assert.Equal(rebuilt.ImageDigest, (await store.GetAsync("app:1.0", TestContext.Current.CancellationToken)).ManifestDigest.ToString());

        // A changed publish output builds again.
        File.WriteAllText(Path.Combine(publish, "App.dll"), "app v2");
        var third = NewTask(temp, project, publish, out _);
        Assert.True(third.Execute());
        Assert.NotEqual(first.ImageDigest, third.ImageDigest);
    }

    [Fact]
    public void AStageNamedPublishIsBuiltAsWrittenAsVisualStudiosDockerfilesExpect()
    {
        using var temp = new TempDirectory();
        var (project, publish) = Layout(temp, "FROM scratch AS publish\nCOPY marker.txt /app/publish/marker.txt\nFROM scratch\nCOPY --from=publish /app/publish /app\n");
        File.WriteAllText(Path.Combine(project, "marker.txt"), "from the stage");

        var task = NewTask(temp, project, publish, out var engine);

        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        Assert.Contains(engine.Messages, m => m.Message!.StartsWith("The Dockerfile has a stage named 'publish' (line 1)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTargetStageNamedContextsLabelsAndNoCacheReachTheBuild()
    {
        using var temp = new TempDirectory();
        var (project, publish) = Layout(temp, "FROM scratch AS wanted\nCOPY --from=assets / /assets/\nFROM wanted AS other\nCOPY missing /x\n");
        var assets = Directory.CreateDirectory(temp.Combine("assets")).FullName;
        File.WriteAllText(Path.Combine(assets, "logo.txt"), "logo");

        var task = NewTask(temp, project, publish, out var engine);
        task.Target = "wanted";
        task.BuildContexts = [Item("assets", "../assets")];
        task.Labels = [Item("org.example.team", "tasks")];
        Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

        // Only the target stage was built (the other would fail), with the context given relative to the project.
        var store = new ImageStore(new BlobStore(temp.Combine("store")));
        var image = await store.OpenImageAsync("app:1.0", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("tasks", image.Config.Value.Config.Labels!["org.example.team"]);
        Assert.Single(image.Layers);
        Assert.Contains(engine.Messages, m => m.Message == "Step 2/2 (wanted) COPY --from=assets / /assets/");

        // DockerbuildNoCache builds again although nothing changed, every step uncached.
        var again = NewTask(temp, project, publish, out var againEngine);
        again.Target = "wanted";
        again.BuildContexts = task.BuildContexts;
        again.Labels = task.Labels;
        again.NoCache = true;
        Assert.True(again.Execute());
        Assert.Contains(againEngine.Messages, m => m.Message!.StartsWith("Step 2/2 (wanted) DONE", StringComparison.Ordinal));
        Assert.DoesNotContain(againEngine.Messages, m => m.Message!.Contains("CACHED", StringComparison.Ordinal));
    }

    [Fact]
    public void SecretsReachRunMountsFromAVariableOrAFileAndNeverTheLog()
    {
        Require.Executable("runc", "runc");
        using var temp = new TempDirectory();
        var (project, publish) = Layout(temp, """
            FROM scratch
            COPY busybox /bin/busybox
            COPY busybox /bin/sh
            RUN --mount=type=secret,id=token,required=true --mount=type=secret,id=key,required=true sha256sum /run/secrets/token /run/secrets/key
            """);
        File.Copy(Require.Executable("busybox", "busybox-static"), Path.Combine(project, "busybox"));
        var variable = "DOCKERBUILD_TEST_TOKEN_" + Guid.NewGuid().ToString("N");
        var token = "token-" + Guid.NewGuid().ToString("N");
        var key = "key-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, token);
        File.WriteAllText(Path.Combine(project, "key.txt"), key);
        try
        {
            var task = NewTask(temp, project, publish, out var engine);
            var fromVariable = new TaskItem("token");
            fromVariable.SetMetadata("EnvironmentVariable", variable);
            var fromFile = new TaskItem("key");
            fromFile.SetMetadata("File", "key.txt");
            task.Secrets = [fromVariable, fromFile];

            Assert.True(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));

            // sha256sum's lines, at detailed verbosity, prove the values arrived; the values themselves never show.
            var output = engine.Messages.Where(m => m.Importance == MessageImportance.Low).Select(m => m.Message!).ToList();
            Assert.Contains($"Step 4/4 | {Sha256(token)}  /run/secrets/token", output);
            Assert.Contains($"Step 4/4 | {Sha256(key)}  /run/secrets/key", output);
            Assert.DoesNotContain(engine.Messages, m => m.Message!.Contains(token, StringComparison.Ordinal) || m.Message.Contains(key, StringComparison.Ordinal));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task AFailedCopyIsDkb1102AtItsLineAndABaseMissingFromItsRegistryDkb1301AtTheFrom()
    {
        using var temp = new TempDirectory();
        var (project, publish) = Layout(temp, "FROM scratch\nCOPY missing.txt /x\n");

        var copy = NewTask(temp, project, publish, out var engine);
        Assert.False(copy.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal((DiagnosticCodes.StepFailed, Path.Combine(project, "Dockerfile"), 2, 1), (error.Code, error.File, error.LineNumber, error.ColumnNumber));
        // BuildKit's words for a missing source (frontend/dockerfile: "failed to calculate checksum of ref ...: not found").
        Assert.EndsWith("\"/missing.txt\": not found", error.Message, StringComparison.Ordinal);
        Assert.Empty(engine.Warnings);

        await using var registry = await Dockerbuild.Testing.Registry.RegistryServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        File.WriteAllText(Path.Combine(project, "Dockerfile"), $"FROM scratch AS first\nFROM {registry.Host}/no/such-image:1\nCOPY --from=first / /\n");
        var from = NewTask(temp, project, publish, out var fromEngine);
        Assert.False(from.Execute());
        var missing = Assert.Single(fromEngine.Errors);
        Assert.Equal((DiagnosticCodes.BaseImageNotFound, 2), (missing.Code, missing.LineNumber));
    }

    [Fact]
    public void AnInvalidNameIsDkb1004AndAMissingDockerfileDkb1001()
    {
        using var temp = new TempDirectory();
        var (project, publish) = Layout(temp, "FROM scratch\n");

        var upper = NewTask(temp, project, publish, out var engine);
        upper.Repository = "MyApp";
        Assert.False(upper.Execute());
        var error = Assert.Single(engine.Errors);
        Assert.Equal(DiagnosticCodes.InvalidSetting, error.Code);
        Assert.StartsWith("'MyApp:1.0' is not a valid image name", error.Message, StringComparison.Ordinal);

        var missing = NewTask(temp, project, publish, out var missingEngine);
        missing.Dockerfile = Path.Combine(project, "Nope.Dockerfile");
        Assert.False(missing.Execute());
        Assert.Equal(DiagnosticCodes.DockerfileNotFound, Assert.Single(missingEngine.Errors).Code);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static TaskItem Item(string name, string value)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Value", value);
        return item;
    }

    private static (string Project, string Publish) Layout(TempDirectory temp, string dockerfile)
    {
        var project = Directory.CreateDirectory(temp.Combine("App")).FullName;
        var publish = Directory.CreateDirectory(temp.Combine("App", "bin", "publish")).FullName;
        Directory.CreateDirectory(temp.Combine("App", "obj"));
        File.WriteAllText(Path.Combine(project, "Dockerfile"), dockerfile);
        File.WriteAllText(Path.Combine(project, ".dockerignore"), "bin/\nobj/\n");
        return (project, publish);
    }

    private static DockerfileBuild NewTask(TempDirectory temp, string project, string publish, out RecordingBuildEngine engine)
    {
        engine = new RecordingBuildEngine();
        return new DockerfileBuild
        {
            BuildEngine = engine,
            Dockerfile = Path.Combine(project, "Dockerfile"),
            ContextDirectory = project,
            ProjectDirectory = project,
            ProjectName = "App",
            PublishDirectory = publish,
            Repository = "app",
            Tags = [new TaskItem("1.0")],
            StoreRoot = temp.Combine("store"),
            StampFile = Path.Combine(project, "obj", "dockerbuild.stamp.json"),
            StampExcludedDirectory = Path.Combine(project, "obj"),
        };
    }
}
