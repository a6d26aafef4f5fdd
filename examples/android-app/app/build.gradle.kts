plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
}

android {
    namespace = "dev.tokensmith.example"
    compileSdk = 35

    defaultConfig {
        applicationId = "dev.tokensmith.example"
        minSdk = 24 // tokensmith-android's own minimum
        targetSdk = 35
        versionCode = 1
        versionName = "1.0"
        testInstrumentationRunner = "androidx.test.runner.AndroidJUnitRunner"

        // Credentials are the app's business, not the library's (there is no environment to read on a phone):
        // here a Gradle property (`-PakoolApiKey=...` or ~/.gradle/gradle.properties, never committed) becomes a
        // BuildConfig field. Anything inside an APK can be extracted: prefer a key of your own backend's, or a
        // short-lived token it hands the app, to a vendor key with your whole account behind it.
        buildConfigField("String", "AKOOL_API_KEY", "\"${providers.gradleProperty("akoolApiKey").getOrElse("")}\"")
    }

    buildFeatures {
        buildConfig = true
    }

    buildTypes {
        release {
            // R8 with the AAR's consumer rules (its proguard.txt) and the app's own: the workflow builds this.
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
            // An example: signed with the debug key so that CI can install and start it.
            signingConfig = signingConfigs.getByName("debug")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(org.jetbrains.kotlin.gradle.dsl.JvmTarget.JVM_17)
    }
}

dependencies {
    // Brings JNA's AAR, kotlinx-coroutines-android and Kotlin with it (from the AAR's POM / Gradle module).
    implementation("dev.tokensmith:tokensmith-android:0.1.0")

    implementation("androidx.activity:activity-ktx:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-ktx:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-ktx:2.8.7")

    androidTestImplementation("androidx.test:runner:1.6.2")
    androidTestImplementation("androidx.test.ext:junit:1.2.1")
}
