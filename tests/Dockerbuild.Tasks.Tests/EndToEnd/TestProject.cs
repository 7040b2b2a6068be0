using Dockerbuild.Testing;

namespace Dockerbuild.Tasks.Tests.EndToEnd;

/// <summary>
/// A fresh console project in a temporary directory that references the packed <c>Dockerbuild</c>
/// package through a nuget.config naming the private feed (and nuget.org for anything else), with its
/// own image store and docker config directory.
/// </summary>
internal sealed class TestProject : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-msbuild-");
    private readonly PackageFeed feed;

    /// <param name="properties">Extra csproj content (PropertyGroup/ItemGroup/Target elements).</param>
    public TestProject(PackageFeed feed, string name, string dockerfile, string properties = "")
    {
        this.feed = feed;
        Name = name;
        Directory.CreateDirectory(ProjectDirectory);
        Directory.CreateDirectory(DockerConfig);
        feed.WriteNuGetConfig(root.Path);
        File.WriteAllText(Path.Combine(ProjectDirectory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <!-- No vulnerability lookups on nuget.org: the restore needs only the private feed. -->
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dockerbuild" Version="{feed.Version}" />
              </ItemGroup>
            {properties}
            </Project>
            """);
        WriteProgram("Console.WriteLine(\"hello from " + name + "\");");
        File.WriteAllText(Dockerfile, dockerfile);
    }

    public string Name { get; }

    public string Root => root.Path;

    public string ProjectDirectory => root.Combine(Name);

    public string Dockerfile => Path.Combine(ProjectDirectory, "Dockerfile");

    /// <summary>The image store the package writes to (DOCKERBUILD_ROOT).</summary>
    public string Store => root.Combine("store");

    /// <summary>DOCKER_CONFIG: config.json with the registry credentials goes here.</summary>
    public string DockerConfig => root.Combine("docker-config");

    public string PublishDirectory => Path.Combine(ProjectDirectory, "bin", "Release", "net10.0", "publish");

    /// <summary>Puts the machine's static busybox in the context, for Dockerfiles that start FROM scratch.</summary>
    public void AddBusybox()
    {
        var busybox = Require.Executable("busybox", "busybox-static");
        File.Copy(busybox, Path.Combine(ProjectDirectory, "busybox"), overwrite: true);
    }

    public void WriteProgram(string source) => File.WriteAllText(Path.Combine(ProjectDirectory, "Program.cs"), source);

    /// <summary><c>dotnet publish</c> at normal verbosity, console logger (what CI logs show).</summary>
    public Task<(int ExitCode, string Output)> PublishAsync(params string[] arguments) =>
        DotnetAsync(["publish", "-nodeReuse:false", "-tl:off", "-v:n", .. arguments]);

    public Task<(int ExitCode, string Output)> BuildAsync(params string[] arguments) =>
        DotnetAsync(["build", "-nodeReuse:false", "-tl:off", "-v:n", .. arguments]);

    /// <summary>More environment variables for the dotnet commands.</summary>
    public Dictionary<string, string?> Environment { get; } = [];

    /// <summary>Any dotnet command in the project directory, with the project's store and docker config.</summary>
    public Task<(int ExitCode, string Output)> DotnetAsync(string[] arguments, Action<string, System.Diagnostics.Process>? onLine = null)
    {
        var environment = DotnetProcess.Environment(feed.PackagesCache);
        environment["DOCKERBUILD_ROOT"] = Store;
        environment["DOCKER_CONFIG"] = DockerConfig;
        foreach (var (name, value) in Environment)
        {
            environment[name] = value;
        }

        return DotnetProcess.RunAsync(ProjectDirectory, environment, onLine, arguments);
    }

    public void Dispose() => root.Dispose();
}
