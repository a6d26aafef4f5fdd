package dev.tokensmith

import android.content.ContentProvider
import android.content.ContentValues
import android.database.Cursor
import android.net.Uri
import android.util.Log

/**
 * Calls [Tokensmith.init] when the app's process starts (Android creates the content providers of the merged
 * manifest before `Application.onCreate`), as Firebase does, so apps need no code. It serves no data.
 *
 * To initialise by hand instead, remove it in the app's manifest and call `Tokensmith.init(context)`:
 * ```xml
 * <provider android:name="dev.tokensmith.TokensmithInitProvider"
 *     android:authorities="${applicationId}.tokensmith-init" tools:node="remove" />
 * ```
 */
class TokensmithInitProvider : ContentProvider() {
    override fun onCreate(): Boolean {
        val context = context ?: return false
        try {
            Tokensmith.init(context)
        } catch (e: Throwable) {
            // Never take the app down at start: clients then refuse to build, naming Tokensmith.init(context).
            Log.e(LogcatSink.TAG, "auto-init failed; call Tokensmith.init(context) to retry", e)
        }
        return true
    }

    override fun query(
        uri: Uri,
        projection: Array<out String>?,
        selection: String?,
        selectionArgs: Array<out String>?,
        sortOrder: String?,
    ): Cursor? = null

    override fun getType(uri: Uri): String? = null

    override fun insert(uri: Uri, values: ContentValues?): Uri? = null

    override fun delete(uri: Uri, selection: String?, selectionArgs: Array<out String>?): Int = 0

    override fun update(uri: Uri, values: ContentValues?, selection: String?, selectionArgs: Array<out String>?): Int = 0
}
