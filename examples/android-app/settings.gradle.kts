// A minimal Android app on dev.tokensmith:tokensmith-android: one screen whose ViewModel calls Akool from a
// coroutine. The release workflow builds it (release, with R8) and runs its instrumented tests on an emulator.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        // Where the AAR comes from: in the release workflow, the Maven layout scripts/dist-android writes
        // (target/dist/android/maven); an app of yours uses the repository tokensmith is published to instead.
        providers.environmentVariable("TOKENSMITH_MAVEN_REPO").orNull?.let { maven { url = uri(it) } }
        google()
        mavenCentral()
    }
}

rootProject.name = "tokensmith-android-example"
include(":app")
